using Weft.Scheduling;

namespace Weft;

public sealed partial class WeftEngine
{
    private const string InterruptedByStop = "interrupted: the engine stopped before this attempt finished";
    private const string NotStartedByStop = "interrupted: the engine stopped before this attempt started";
    private bool _draining;
    private bool _interrupting;

    /// <summary>Stops gracefully: no new task starts and no submission is taken; running tasks get
    /// <paramref name="drain"/> to finish; then they are cancelled and their attempts recorded as
    /// interrupted (tasks handed to a slot but not started are recorded so at once). Unlike
    /// <see cref="DisposeAsync"/> runs are not cancelled: on a durable store they stay unfinished, and
    /// <see cref="ResumeAsync"/> (<c>weft runs resume</c>) continues them. Waiters of unfinished runs
    /// get their snapshot as it stands. Then the engine is disposed. Cancelling
    /// <paramref name="cancellationToken"/> ends the drain early.</summary>
    public async ValueTask StopAsync(TimeSpan drain, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(drain, TimeSpan.Zero);
        Task[] loops;
        int wake;
        lock (_gate)
        {
            if (_stopping || _draining)
            {
                return;
            }

            Volatile.Write(ref _draining, true);
            foreach (var slot in _slots)
            {
                while (slot.TryTake(out var queued))
                {
                    _scheduler.Interrupt(queued.Item, NotStartedByStop);
                }
            }

            foreach (var run in _runs.Values)
            {
                StopRetryTimers(run);
                run.StartTimer?.Dispose(); // a run waiting for its start time stays pending in the store
                run.StartTimer = null;
            }

            loops = [.. _slotLoops];
            wake = _idle;
            _idle = 0;
        }

        if (wake > 0)
        {
            _wake.Release(wake);
        }

        var slotsDone = Task.WhenAll(loops);
        try
        {
            await slotsDone.WaitAsync(drain, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            await InterruptRunningAsync().ConfigureAwait(false);
            await slotsDone.ConfigureAwait(false); // handlers that ignore cancellation are let go after a few seconds
        }

        await ShutdownAsync(cancelRuns: false).ConfigureAwait(false);
        List<RunExecution> unfinished;
        lock (_gate)
        {
            unfinished = [.. _runs.Values.Where(r => !r.State.IsFinal())];
        }

        foreach (var run in unfinished)
        {
            run.Completion.TrySetResult(run.Snapshot());
        }
    }

    private async Task InterruptRunningAsync()
    {
        List<RunExecution> running;
        lock (_gate)
        {
            _interrupting = true; // outcomes reported from now on are recorded as interrupted
            running = [.. _runs.Values.Where(r => r.RunningCount > 0)];
        }

        foreach (var run in running)
        {
            await run.Cancellation.CancelAsync().ConfigureAwait(false);
        }
    }

    // Call under the lock: a back-off that ends after the stop must not queue anything; the store
    // keeps its due time for a resume.
    private static void StopRetryTimers(RunExecution run)
    {
        for (var t = 0; t < run.Slots.Length; t++)
        {
            ref var slot = ref run.Slots[t];
            if (slot.RetryTimer is { } timer)
            {
                timer.Dispose();
                slot.RetryTimer = null;
            }
        }
    }
}
