namespace Weft.Cluster;

/// <summary>A snapshot of a <see cref="ClusterWorker"/>'s counters.</summary>
/// <param name="Claimed">Tasks claimed since start.</param>
/// <param name="Completed">Outcomes written to the store since start.</param>
/// <param name="Running">Tasks running now.</param>
/// <param name="FirstClaimAfter">Time from <see cref="ClusterWorker.StartAsync"/> to the first claim that
/// returned a task (measured with the worker's clock); null until then.</param>
public sealed record ClusterWorkerStats(long Claimed, long Completed, int Running, TimeSpan? FirstClaimAfter);
