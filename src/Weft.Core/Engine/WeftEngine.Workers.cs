using Weft.Execution;
using Weft.Scheduling;
using Weft.Storage;

namespace Weft;

public sealed partial class WeftEngine
{
    private readonly List<RunExecution> _announce = [];

    // Fetch → run → report, with the report of one task and the claim of the next in one locked
    // step. What a crash at each point means: before the claim, nothing happened; between claim
    // and report, the task is "running" and (with a durable store) is run again on recovery.
    private async Task WorkerLoopAsync()
    {
        var haveOutcome = false;
        WorkItem done = default;
        TaskOutcome outcome = default;
        while (true)
        {
            WorkItem item;
            int attempt;
            bool claimed;
            int wake;
            bool finishedAny;
            lock (_gate)
            {
                if (haveOutcome)
                {
                    _scheduler.Complete(done, outcome);
                    haveOutcome = false;
                }

                claimed = _scheduler.TryStartNext(out item, out attempt);
                if (!claimed)
                {
                    if (_stopping)
                    {
                        break;
                    }

                    _idle++;
                }

                wake = TakeIdleToWake();
                finishedAny = _scheduler.HasFinished;
            }

            Wake(wake);
            if (finishedAny)
            {
                Announce();
            }

            if (!claimed)
            {
                await _wake.WaitAsync().ConfigureAwait(false);
                continue;
            }

            var pending = ExecuteAttempt(item, attempt);
            outcome = pending.IsCompletedSuccessfully ? pending.Result : await pending.ConfigureAwait(false);
            done = item;
            haveOutcome = true;
        }

        Announce();
    }

    /// <summary>Called by a retry timer when a back-off is over.</summary>
    private void OnRetryDue(RunExecution run, int task)
    {
        int wake;
        lock (_gate)
        {
            _scheduler.RetryDue(run, task);
            wake = TakeIdleToWake();
        }

        Wake(wake);
    }

    // Wake no more idle slots than there are ready tasks: a slot woken for nothing costs a context switch.
    private int TakeIdleToWake()
    {
        var n = Math.Min(_idle, _scheduler.ReadyCount);
        _idle -= n;
        return n;
    }

    private void Wake(int count)
    {
        if (count > 0)
        {
            _wake.Release(count);
        }
    }

    /// <summary>Completes the waiters of runs that finished, and records them, outside the lock.</summary>
    private void Announce()
    {
        RunExecution[] finished;
        lock (_gate)
        {
            _scheduler.DrainFinished(_announce);
            if (_announce.Count == 0)
            {
                return;
            }

            finished = [.. _announce];
            _announce.Clear();
        }

        _ = RecordFinishedAsync(finished);
    }

    private async Task RecordFinishedAsync(RunExecution[] finished)
    {
        var snapshots = finished.Select(r => r.Snapshot()).ToArray();
        try
        {
            if (_store is MemoryStore memory)
            {
                // The ephemeral store keeps the engine's own (lazily materialized) final picture.
                foreach (var snapshot in snapshots)
                {
                    memory.SaveFinal(snapshot);
                }
            }
        }
        finally
        {
            for (var i = 0; i < finished.Length; i++)
            {
                finished[i].Completion.TrySetResult(snapshots[i]);
                finished[i].Cancellation.Dispose();
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
