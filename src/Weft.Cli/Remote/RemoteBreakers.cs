using System.Text.Json;
using Weft.Cli.Commands;

namespace Weft.Cli.Remote;

/// <summary><c>weft breakers list|reset --server URL</c>: <c>GET /api/breakers</c> and
/// <c>POST /api/breakers/{key}/reset</c>. An unknown key (404) exits 2; an unreachable server 1.</summary>
internal static class RemoteBreakers
{
    public static Task<int> ListAsync(RemoteTarget target, bool json, CliIo io, CancellationToken ct) =>
        RemoteRuns.GuardAsync(target, null, io, async client =>
        {
            var answer = await client.GetAsync("api/breakers", ct).ConfigureAwait(false);
            BreakerListing.Write(io, [.. answer.EnumerateArray().Select(ToStatus)], json);
            return ExitCodes.Succeeded;
        });

    public static Task<int> ResetAsync(RemoteTarget target, string key, CliIo io, CancellationToken ct) =>
        RemoteRuns.GuardAsync(target, null, io, async client =>
        {
            var answer = ToStatus(await client.PostAsync($"api/breakers/{Uri.EscapeDataString(key)}/reset", ct).ConfigureAwait(false));
            io.Out.WriteLine($"circuit breaker '{answer.Key}' reset: {answer.State}");
            return ExitCodes.Succeeded;
        });

    private static BreakerStatus ToStatus(JsonElement b) => new(b.GetProperty("key").GetString()!, b.GetProperty("state").GetString()!)
    {
        Failures = b.GetProperty("failures").GetInt32(),
        OpenedAt = Time(b, "openedAt"),
        OpenUntil = Time(b, "openUntil"),
        Waiting = b.GetProperty("waiting").GetInt32(),
    };

    private static DateTimeOffset? Time(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetDateTimeOffset() : null;
}
