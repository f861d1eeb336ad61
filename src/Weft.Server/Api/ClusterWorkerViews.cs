using Weft.Cluster;

namespace Weft.Server.Api;

/// <summary><c>GET /api/workers</c> of a cluster's scheduler: the worker processes registered in the
/// store or the transport, alive, lost (no heartbeat within the worker's dead-after) or stopped.</summary>
internal static class ClusterWorkerViews
{
    public static IReadOnlyList<WorkerView> From(IReadOnlyList<WorkerInfo> workers) =>
        [.. workers.Select(w => new WorkerView(w.Name, w.ProcessId, w.Slots, null, null, w.HeartbeatAt ?? w.StartedAt)
        {
            Host = w.Host,
            Queues = w.Queues,
            Tags = w.Tags,
            StartedAt = w.StartedAt,
            Stopped = w.Stopped,
            Lost = w.Lost,
        })];
}
