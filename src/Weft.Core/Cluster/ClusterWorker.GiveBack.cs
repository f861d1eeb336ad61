namespace Weft.Cluster;

/// <summary>Giving back what a slow slot holds: a task claimed ahead that has waited
/// <see cref="ClusterWorkerOptions.GiveBackAfter"/> for a slot went into the buffer when tasks were
/// short, and the slots are now busy with long ones. Another worker of the queue may be idle: the
/// task goes back to the queue (same attempt, as if never claimed) for whichever worker has a free
/// slot first, and this worker stops claiming ahead until its slots turn over faster.</summary>
public sealed partial class ClusterWorker
{
    private async Task GiveBackLoopAsync()
    {
        if (_giveBackAfter is not { } after)
        {
            return;
        }

        var stop = _stopClaiming.Token;
        var every = after / 2 > TimeSpan.FromMilliseconds(10) ? after / 2 : TimeSpan.FromMilliseconds(10);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, _time, stop).ConfigureAwait(false);
                await GiveBackWaitingAsync(after).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task GiveBackWaitingAsync(TimeSpan after)
    {
        List<RunningTask>? stale = null;
        var longest = TimeSpan.Zero;
        foreach (var task in _running.Values)
        {
            var waited = _time.GetElapsedTime(task.ClaimedAt);
            if (!task.Started && !task.Token.IsCancellationRequested && waited >= after && task.TryBeginGiveBack())
            {
                (stale ??= []).Add(task);
                longest = waited > longest ? waited : longest;
            }
        }

        if (stale is null)
        {
            return;
        }

        // Its slots turn over no faster than the wait just seen: claim ahead accordingly. Said before the
        // release, whose TasksQueued signal wakes this worker's own claim loop too: with the old budget it
        // would claim straight back what it gives away.
        _prefetch.SlotsTurnOverEvery(longest);

        IReadOnlyList<long> released;
        try
        {
            // Not cancelled by a stop: the answer decides whether each task still runs here.
            released = await _store.ReleaseAsync(Name, [.. stale.Select(t => t.Row.Id)], CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Keep them: they run here once a slot frees, as before.
            _log?.Invoke($"worker '{Name}' could not give back {stale.Count} waiting task(s) ({ex.GetType().Name}: {ex.Message}); it keeps them");
            released = [];
        }

        var given = released.ToHashSet();
        foreach (var task in stale)
        {
            var back = given.Contains(task.Row.Id);
            if (back)
            {
                // Only this entry: should the row have been claimed again meanwhile, its new entry stays.
                _running.TryRemove(new KeyValuePair<long, RunningTask>(task.Row.Id, task));
            }

            task.EndGiveBack(back);
        }

        if (given.Count > 0)
        {
            _log?.Invoke($"worker '{Name}' gave back {given.Count} task(s) claimed ahead that waited {Definitions.Durations.Format(TimeSpan.FromMilliseconds(Math.Round(longest.TotalMilliseconds)))} behind long-running slots");
            _slotFreed.Set();
        }
    }
}
