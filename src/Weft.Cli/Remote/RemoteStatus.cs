using System.Text.Json;
using Weft.Cli.Commands;
using Weft.Cli.Output;
using Weft.Definitions;
using Weft.Storage;

namespace Weft.Cli.Remote;

/// <summary><c>weft status --server URL</c>: the server engine's <c>/api/status</c> snapshot, printed
/// in the local command's text and <c>--json</c> shapes. What differs from a local store: the
/// <c>store.name</c> is "server URL"; <c>store.runs</c> is counted from <c>/api/runs</c> (one listing
/// per state); <c>store.unfinished</c> is always empty, because the server resumes or reports
/// interrupted runs itself (see <c>weft runs list --state running --server URL</c>).</summary>
internal static class RemoteStatus
{
    public static Task<int> ExecuteAsync(RemoteTarget target, bool json, CliIo io, CancellationToken ct) =>
        RemoteRuns.GuardAsync(target, null, io, async client =>
        {
            var status = ToStatus(await client.GetAsync("api/status", ct).ConfigureAwait(false));
            var counts = new Dictionary<RunState, int>();
            foreach (var state in Enum.GetValues<RunState>())
            {
                var runs = await RemoteRuns.ListRunsAsync(client, new RunQuery { State = state, Limit = int.MaxValue }, ct).ConfigureAwait(false);
                counts[state] = runs.Count;
            }

            var report = new StatusReport(status, $"server {target.Server}", counts, []);
            io.Out.WriteLine(json ? StatusJson.ToJson(report) : StatusText.Format(report));
            return ExitCodes.Succeeded;
        });

    /// <summary>The engine snapshot back from the server's JSON view (web naming, snake_case enum names).</summary>
    public static EngineStatus ToStatus(JsonElement s) => new()
    {
        At = s.GetProperty("at").GetDateTimeOffset(),
        Health = Parse<HealthState>(s.GetProperty("health").GetString()) ?? HealthState.Unhealthy,
        Reasons = Strings(s, "reasons"),
        SlotsBusy = s.GetProperty("slotsBusy").GetInt32(),
        SlotsIdle = s.GetProperty("slotsIdle").GetInt32(),
        QueueDepth = s.GetProperty("queueDepth").EnumerateObject()
            .Select(p => (Priority: Parse<TaskPriority>(p.Name), Depth: p.Value.GetInt32()))
            .Where(p => p.Priority is not null)
            .ToDictionary(p => p.Priority!.Value, p => p.Depth),
        ActiveRuns = s.GetProperty("activeRuns").GetInt32(),
        ThroughputPerSecond = s.GetProperty("throughputPerSecond").GetDouble(),
        TasksSucceeded = s.GetProperty("tasksSucceeded").GetInt64(),
        TasksFailed = s.GetProperty("tasksFailed").GetInt64(),
        RunsFinished = s.TryGetProperty("runsFinished", out var f) ? f.GetInt64() : 0,
        Breakers = s.GetProperty("breakers").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
        WorkingSetBytes = s.GetProperty("workingSetBytes").GetInt64(),
        GcHeapBytes = s.GetProperty("gcHeapBytes").GetInt64(),
        CpuBusy = Fraction(s, "cpuBusy"),
        CpuIoWait = Fraction(s, "cpuIoWait"),
        ProcessCpu = Fraction(s, "processCpu"),
        Cores = s.TryGetProperty("cores", out var cores) && cores.ValueKind == JsonValueKind.Number ? cores.GetInt32() : Environment.ProcessorCount,
        Alerts = Strings(s, "alerts"),
        StoreError = s.TryGetProperty("storeError", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null,
        ConnectionPools = s.TryGetProperty("connectionPools", out var pools) && pools.ValueKind == JsonValueKind.Array
            ? [.. pools.EnumerateArray().Select(p => new ConnectionPoolStatus(p.GetProperty("name").GetString() ?? "", p.GetProperty("provider").GetString() ?? "")
            {
                MaxConnections = p.GetProperty("maxConnections").GetInt32(),
                InUse = p.GetProperty("inUse").GetInt32(),
                Waiting = p.GetProperty("waiting").GetInt32(),
                Leases = p.GetProperty("leases").GetInt64(),
                Opened = p.TryGetProperty("opened", out var o) && o.ValueKind == JsonValueKind.Number ? o.GetInt64() : null,
            })]
            : [],
    };

    private static T? Parse<T>(string? name) where T : struct, Enum =>
        name is not null && Enum.TryParse<T>(name.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var value) ? value : null;

    // Absent from an older server: unknown, not zero.
    private static double? Fraction(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static List<string> Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? [.. v.EnumerateArray().Select(x => x.GetString() ?? "")] : [];
}
