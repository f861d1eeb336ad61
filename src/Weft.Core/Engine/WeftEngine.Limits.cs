using Weft.Limits;

namespace Weft;

public sealed partial class WeftEngine
{
    private readonly List<TaskCompletionSource> _queueWaiters = [];
    private DedupTable? _dedupTable;

    private DedupTable _dedup => _dedupTable ??= new DedupTable(_options.DedupWindow);

    // Call under the lock. Reserves room for a run's tasks, all or nothing (nothing is half-submitted):
    // null when reserved; a task to wait on when the queue is full and the caller waits; else throws.
    private Task? ReserveQueue(int tasks, bool wait)
    {
        var outstanding = _scheduler.Counters.Outstanding;
        var limit = _options.QueueLimit;
        if (tasks > limit)
        {
            throw new WeftQueueFullException(outstanding, limit, tasks);
        }

        if (outstanding + tasks <= limit)
        {
            _scheduler.Counters.Outstanding += tasks;
            return null;
        }

        if (!wait)
        {
            throw new WeftQueueFullException(outstanding, limit, tasks);
        }

        var room = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queueWaiters.Add(room);
        return room.Task;
    }

    // Call under the lock: the waiters to wake because tasks finished and room opened up.
    private TaskCompletionSource[]? TakeQueueWaiters()
    {
        if (_queueWaiters.Count == 0 || _scheduler.Counters.Outstanding >= _options.QueueLimit)
        {
            return null;
        }

        TaskCompletionSource[] waiters = [.. _queueWaiters];
        _queueWaiters.Clear();
        return waiters;
    }

    private RunHandle HandleOf(string runId)
    {
        if (_runs.TryGetValue(runId, out var run))
        {
            return new RunHandle(this, runId, run.Completion.Task);
        }

        return new RunHandle(this, runId, Task.FromException<RunSnapshot>(new KeyNotFoundException($"run '{runId}' is no longer known")));
    }
}
