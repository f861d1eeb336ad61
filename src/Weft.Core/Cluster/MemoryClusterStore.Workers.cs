namespace Weft.Cluster;

/// <summary>Worker registration and the scheduler's leadership.</summary>
public sealed partial class MemoryClusterStore
{
    /// <inheritdoc />
    public ValueTask RegisterWorkerAsync(WorkerInfo worker, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentException.ThrowIfNullOrEmpty(worker.Name);
        lock (_data.Gate)
        {
            _data.Workers[worker.Name] = worker with { HeartbeatAt = _data.Time.GetUtcNow(), Stopped = false, LeaseUntil = null, Lost = false };
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask UnregisterWorkerAsync(string worker, CancellationToken cancellationToken = default)
    {
        lock (_data.Gate)
        {
            if (_data.Workers.TryGetValue(worker, out var info))
            {
                _data.Workers[worker] = info with { Stopped = true, LeaseUntil = null };
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<WorkerInfo>> ListWorkersAsync(CancellationToken cancellationToken = default)
    {
        lock (_data.Gate)
        {
            var now = _data.Time.GetUtcNow();
            IReadOnlyList<WorkerInfo> workers = _data.Workers.Values
                .Select(w => w with { Lost = !w.Stopped && w.LeaseUntil <= now })
                .OrderByDescending(w => w.HeartbeatAt)
                .ThenBy(w => w.Name, StringComparer.Ordinal)
                .ToList();
            return new(workers);
        }
    }

    /// <inheritdoc />
    public ValueTask<ILeadership?> TryLeadAsync(CancellationToken cancellationToken = default)
    {
        lock (_data.Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_data.Leader is not null)
            {
                return new((ILeadership?)null);
            }

            _data.Leader = new MemoryLeadership(this, _data);
            return new(_data.Leader);
        }
    }
}
