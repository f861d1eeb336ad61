namespace Weft.Cluster;

/// <summary>Tells the first lost task of each worker death from the others: a worker that dies holding
/// six tasks is one crash, not six, even when its tasks are found lost in different sweeps. A death is
/// a worker name with the end of its lease; a worker of that name that heartbeats again and dies again
/// has a new lease end, so it counts again.</summary>
internal sealed class LostWorkerTally
{
    private readonly Lock _gate = new();

    // One entry per worker name ever lost: bounded by the cluster's workers, not by its tasks.
    private readonly Dictionary<string, DateTimeOffset?> _lastDeath = new(StringComparer.Ordinal);

    public bool IsNewLoss(LostTask task)
    {
        lock (_gate)
        {
            if (_lastDeath.TryGetValue(task.Worker, out var counted) && counted == task.WorkerLeaseUntil)
            {
                return false;
            }

            _lastDeath[task.Worker] = task.WorkerLeaseUntil;
            return true;
        }
    }
}
