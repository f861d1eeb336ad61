using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Weft.Server.Api;

/// <summary>Engine status, workers, and what the dashboard needs to know about the server.</summary>
internal static class StatusEndpoints
{
    public static void MapReads(RouteGroupBuilder api)
    {
        api.MapGet("/status", (WeftEngine engine) => Results.Ok(StatusView(engine.GetStatus())))
            .WithName("GetStatus").WithSummary("The engine's status snapshot: health, slots, queue, throughput, memory.");
        api.MapGet("/workers", Workers).WithName("ListWorkers").WithSummary("Workers with their slots and heartbeats.");
        api.MapGet("/info", (IOptions<WeftServerOptions> o) => Results.Ok(new ServerInfoView(
            typeof(StatusEndpoints).Assembly.GetName().Version?.ToString() ?? "0", o.Value.ReadOnly, o.Value.Token is not null)))
            .WithName("GetInfo").WithSummary("Server version, read-only mode, whether mutations need a token.");
    }

    // In this process the workers are the engine's own slots; a cluster's are the processes registered in its
    // store, a transport's those in its registry (NATS: the weft-workers bucket).
    private static async Task<IResult> Workers(WeftEngine engine, TimeProvider time, CancellationToken ct)
    {
        if (await engine.ListWorkersAsync(ct).ConfigureAwait(false) is { } workers)
        {
            return Results.Ok(ClusterWorkerViews.From(workers));
        }

        var status = engine.GetStatus();
        return Results.Ok(new[]
        {
            new WorkerView($"{Environment.MachineName}:{Environment.ProcessId}", Environment.ProcessId, status.SlotsTotal,
                status.SlotsBusy, status.SlotsIdle, time.GetUtcNow()) { Host = Environment.MachineName },
        });
    }

    private static object StatusView(EngineStatus s) => new
    {
        s.At,
        Health = RunViews.Name(s.Health),
        s.Reasons,
        s.SlotsBusy,
        s.SlotsIdle,
        s.SlotsTotal,
        QueueDepth = s.QueueDepth.ToDictionary(p => RunViews.Name(p.Key), p => p.Value),
        s.QueuedTotal,
        s.ActiveRuns,
        s.ThroughputPerSecond,
        s.TasksSucceeded,
        s.TasksFailed,
        s.RunsFinished,
        QueueWait = Percentiles(s.QueueWait),
        RunTime = Percentiles(s.RunTime),
        s.CacheHitRate,
        s.Breakers,
        s.WorkingSetBytes,
        s.GcHeapBytes,
        s.CpuBusy,
        s.CpuIoWait,
        s.ProcessCpu,
        s.Cores,
        s.Alerts,
        s.StoreError,
        ConnectionPools = s.ConnectionPools.Select(p => new { p.Name, p.Provider, p.MaxConnections, p.InUse, p.Waiting, p.Leases, p.Opened }),
    };

    private static object Percentiles(Percentiles p) => new
    {
        P50Ms = p.P50.TotalMilliseconds,
        P95Ms = p.P95.TotalMilliseconds,
        P99Ms = p.P99.TotalMilliseconds,
        p.Samples,
    };
}
