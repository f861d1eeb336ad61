using Weft.Cluster;

namespace Weft.Server.Api;

/// <summary><c>GET /api/workers</c> of a cluster's scheduler: the worker processes registered in the
/// store, alive, lost (as the store judges it, on the cluster's dead-after) or stopped.</summary>
internal static class ClusterWorkerViews
{
    public static async Task<IReadOnlyList<WorkerView>> ListAsync(IClusterStore store, CancellationToken ct) =>
        [.. (await store.ListWorkersAsync(ct).ConfigureAwait(false)).Select(w => new WorkerView(w.Name, w.ProcessId, w.Slots, null, null, w.HeartbeatAt ?? w.StartedAt)
        {
            Host = w.Host,
            Queues = w.Queues,
            Tags = w.Tags,
            StartedAt = w.StartedAt,
            Stopped = w.Stopped,
            Lost = w.Lost,
        })];
}
