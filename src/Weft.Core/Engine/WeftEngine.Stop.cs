namespace Weft;

public sealed partial class WeftEngine
{
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
        Task runnersDone;
        lock (_coord.Gate)
        {
            if (!_coord.BeginDraining())
            {
                return;
            }

            runnersDone = _dispatcher.BeginDrain();
            _coord.StopTimers();
        }

        try
        {
            await runnersDone.WaitAsync(drain, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            await InterruptRunningAsync().ConfigureAwait(false);
            await runnersDone.ConfigureAwait(false); // handlers that ignore cancellation are let go after a few seconds
        }

        await ShutdownAsync(cancelRuns: false).ConfigureAwait(false);
        List<Scheduling.RunExecution> unfinished;
        lock (_coord.Gate)
        {
            unfinished = [.. _coord.Runs.Values.Where(r => !r.State.IsFinal())];
        }

        foreach (var run in unfinished)
        {
            run.Completion.TrySetResult(run.Snapshot());
        }
    }

    private async Task InterruptRunningAsync()
    {
        List<Scheduling.RunExecution> running;
        lock (_coord.Gate)
        {
            _coord.Interrupting = true; // outcomes reported from now on are recorded as interrupted
            running = [.. _coord.Runs.Values.Where(r => r.RunningCount > 0)];
        }

        foreach (var run in running)
        {
            await run.Cancellation.CancelAsync().ConfigureAwait(false);
        }
    }
}
