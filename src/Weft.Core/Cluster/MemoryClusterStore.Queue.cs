using Weft.Definitions;

namespace Weft.Cluster;

/// <summary>The task queue: claims with leases, heartbeats, completions, and the scheduler's reads.</summary>
public sealed partial class MemoryClusterStore
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<QueuedTask>> ClaimAsync(
        string worker, IReadOnlyList<string> queues, int max, TimeSpan leaseFor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(worker);
        ArgumentNullException.ThrowIfNull(queues);
        var claimed = new List<QueuedTask>();
        lock (_data.Gate)
        {
            var until = _data.Time.GetUtcNow() + leaseFor;
            foreach (var id in _data.Unclaimed)
            {
                if (claimed.Count >= max)
                {
                    break;
                }

                var row = _data.Queue[id];
                if (queues.Contains(row.Queue, StringComparer.Ordinal))
                {
                    row.Worker = worker;
                    row.LeaseUntil = until;
                    claimed.Add(row.ToQueuedTask());
                }
            }

            foreach (var task in claimed)
            {
                _data.Unclaimed.Remove(task.Id);
            }
        }

        return new(claimed);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<long>> ReleaseAsync(string worker, IReadOnlyList<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(worker);
        ArgumentNullException.ThrowIfNull(ids);
        var released = new List<long>();
        lock (_data.Gate)
        {
            foreach (var id in ids)
            {
                if (_data.Queue.TryGetValue(id, out var row) && row.Worker == worker && !row.Cancelled && row.Completion is null)
                {
                    row.Worker = null;
                    _data.Unclaimed.Add(id);
                    released.Add(id);
                }
            }
        }

        if (released.Count > 0)
        {
            await SignalAsync(ClusterSignal.TasksQueued, cancellationToken).ConfigureAwait(false);
        }

        return released;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<long>> HeartbeatAsync(string worker, TimeSpan leaseFor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(worker);
        var cancelled = new List<long>();
        lock (_data.Gate)
        {
            var now = _data.Time.GetUtcNow();
            if (_data.Workers.TryGetValue(worker, out var info))
            {
                _data.Workers[worker] = info with { HeartbeatAt = now, LeaseUntil = now + leaseFor };
            }

            foreach (var row in _data.Queue.Values)
            {
                if (row.Worker == worker && row.Completion is null)
                {
                    row.LeaseUntil = now + leaseFor;
                    if (row.Cancelled)
                    {
                        cancelled.Add(row.Id);
                    }
                }
            }
        }

        return new(cancelled);
    }

    /// <inheritdoc />
    public async ValueTask CompleteAsync(IReadOnlyList<TaskCompletion> completions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completions);
        lock (_data.Gate)
        {
            foreach (var completion in completions)
            {
                // A row taken back (dequeued as lost) or held by another worker keeps its own fate.
                if (_data.Queue.TryGetValue(completion.Id, out var row) && row.Worker == completion.Worker && row.Completion is null)
                {
                    row.Completion = completion;
                    row.CompletedSequence = ++_data.LastCompletion;
                }
            }
        }

        await SignalAsync(ClusterSignal.TasksCompleted, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<WorkflowDefinition?> GetDefinitionAsync(string hash, CancellationToken cancellationToken = default)
    {
        lock (_data.Gate)
        {
            return new(_data.Definitions.GetValueOrDefault(hash));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TaskCompletion>> ReadCompletionsAsync(int max, CancellationToken cancellationToken = default) =>
        ReadCompletionsExceptAsync(max, [], cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TaskCompletion>> ReadCompletionsExceptAsync(int max, IReadOnlyCollection<long> skip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(skip);
        var left = skip as IReadOnlySet<long> ?? new HashSet<long>(skip);
        lock (_data.Gate)
        {
            IReadOnlyList<TaskCompletion> done = _data.Queue.Values
                .Where(r => r.Completion is not null && !left.Contains(r.Completion.Id))
                .OrderBy(r => r.CompletedSequence)
                .Take(max)
                .Select(r => r.Completion!)
                .ToList();
            return new(done);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<LostTask>> ReadLostTasksAsync(int max, CancellationToken cancellationToken = default)
    {
        lock (_data.Gate)
        {
            var now = _data.Time.GetUtcNow();
            IReadOnlyList<LostTask> lost = _data.Queue.Values
                .Where(r => r.Worker is not null && r.Completion is null && r.LeaseUntil <= now)
                .Take(max)
                .Select(r => new LostTask
                {
                    Id = r.Id,
                    RunId = r.RunId,
                    TaskId = r.TaskId,
                    Attempt = r.Attempt,
                    Worker = r.Worker!,
                    WorkerLeaseUntil = _data.Workers.GetValueOrDefault(r.Worker!)?.LeaseUntil,
                })
                .ToList();
            return new(lost);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<QueuedTask>> ListQueuedAsync(string runId, CancellationToken cancellationToken = default)
    {
        lock (_data.Gate)
        {
            IReadOnlyList<QueuedTask> rows = _data.Queue.Values.Where(r => r.RunId == runId).Select(r => r.ToQueuedTask()).ToList();
            return new(rows);
        }
    }
}
