namespace Weft.Cluster;

/// <summary>The claim loop: as many tasks as there are free slots plus what may be claimed ahead
/// (<see cref="PrefetchBudget"/>), in one claim (claimed tasks wait for a slot under lease); when nothing is claimable, wait for the scheduler's TasksQueued
/// signal (or the safety-net poll).</summary>
public sealed partial class ClusterWorker
{
    private async Task ClaimLoopAsync()
    {
        var stop = _stopClaiming.Token;
        var retry = new StoreRetry($"worker '{Name}' claim", _time, _log);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var free = _slots + _prefetch.Allowed - _running.Count;
                if (free <= 0)
                {
                    await _slotFreed.WaitAsync(stop).ConfigureAwait(false);
                    continue;
                }

                IReadOnlyList<QueuedTask> claimed;
                try
                {
                    // Not cancelled by a stop: rows claimed must reach a slot (which reports them), not vanish.
                    claimed = await _store.ClaimAsync(Name, _queues, free, _leaseFor, CancellationToken.None).ConfigureAwait(false);
                    retry.Succeeded();
                }
                catch (Exception ex)
                {
                    await retry.FailedAsync(ex, stop).ConfigureAwait(false);
                    continue;
                }

                foreach (var task in claimed)
                {
                    Start(task);
                }

                if (claimed.Count < free)
                {
                    await WaitForWorkAsync(retry, stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
        }
    }

    private async Task WaitForWorkAsync(StoreRetry retry, CancellationToken stop)
    {
        try
        {
            var since = _time.GetTimestamp();
            if (!await _store.WaitForSignalAsync(ClusterSignal.TasksQueued, _pollEvery, stop).ConfigureAwait(false))
            {
                // A wait that gives up early (its connection broke, or the store closed) must not turn
                // this loop into a busy one: claim at most once per poll interval.
                var left = _pollEvery - _time.GetElapsedTime(since);
                if (left > TimeSpan.Zero)
                {
                    await Task.Delay(left, _time, stop).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (!stop.IsCancellationRequested)
        {
            await retry.FailedAsync(ex, stop).ConfigureAwait(false);
        }
    }

    private void Start(QueuedTask row)
    {
        if (Interlocked.Increment(ref _claimed) == 1)
        {
            Interlocked.CompareExchange(ref _firstClaimTicks, _time.GetElapsedTime(_startedAt).Ticks, -1);
        }

        var task = new RunningTask(row) { ClaimedAt = _time.GetTimestamp() };

        // Listed before it starts, so a heartbeat can cancel it and its end can unlist it.
        _running[row.Id] = task;
        task.Execution = Task.Run(() => RunAsync(task), CancellationToken.None);
    }
}
