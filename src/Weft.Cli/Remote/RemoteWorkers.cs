using System.Text.Json;
using Weft.Cluster;

namespace Weft.Cli.Remote;

/// <summary><c>weft workers --server URL</c>: the server's <c>GET /api/workers</c> (a cluster's
/// workers, or the server's own slots) as the records the local listing prints.</summary>
internal static class RemoteWorkers
{
    public static async Task<(IReadOnlyList<WorkerInfo>? Workers, int Exit)> ListAsync(RemoteTarget target, TextWriter error, CancellationToken ct)
    {
        try
        {
            using var client = target.Connect();
            var answer = await client.GetAsync("api/workers", ct).ConfigureAwait(false);
            return ([.. answer.EnumerateArray().Select(ToWorker)], ExitCodes.Succeeded);
        }
        catch (RemoteProblem problem)
        {
            error.WriteLine($"error: {problem.Message}");
            return (null, problem.ExitCode);
        }
    }

    private static WorkerInfo ToWorker(JsonElement w) => new()
    {
        Name = w.GetProperty("name").GetString()!,
        Host = Text(w, "host") ?? "",
        ProcessId = w.GetProperty("pid").GetInt32(),
        Queues = Strings(w, "queues"),
        Tags = Strings(w, "tags"),
        Slots = w.GetProperty("slots").GetInt32(),
        StartedAt = Time(w, "startedAt") ?? default,
        HeartbeatAt = Time(w, "heartbeatAt"),
        Stopped = w.TryGetProperty("stopped", out var s) && s.ValueKind == JsonValueKind.True,
        Lost = w.TryGetProperty("lost", out var l) && l.ValueKind == JsonValueKind.True,
    };

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static DateTimeOffset? Time(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetDateTimeOffset() : null;

    private static IReadOnlyList<string> Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? [.. v.EnumerateArray().Select(x => x.GetString() ?? "")] : [];
}
