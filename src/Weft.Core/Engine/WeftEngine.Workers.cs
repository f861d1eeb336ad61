using Weft.Execution;
using Weft.Scheduling;

namespace Weft;

public sealed partial class WeftEngine
{
    // Fetch → run → report, with the report of one task and the claim of the next in one locked
    // step. What a crash at each point means (durable store): before the claim is journaled and
    // committed, the task is simply not started; after, it is "running" and recovery gives it a new
    // attempt marked interrupted; a completion reported but not yet committed is, after a crash,
    // an attempt that ran (at-least-once) and runs again.
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
            FollowUp follow;
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

                follow = TakeFollowUp();
            }

            Apply(follow);
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
        FollowUp follow;
        lock (_gate)
        {
            _scheduler.RetryDue(run, task);
            follow = TakeFollowUp();
        }

        Apply(follow);
    }

    /// <summary>What must happen after a locked step, outside the lock.</summary>
    private readonly record struct FollowUp(int Wake, bool SignalWriter, bool Announce, TaskCompletionSource[]? QueueRoom = null);

    // Call under the lock. Wakes no more idle slots than there are ready tasks (a slot woken for
    // nothing costs a context switch), and the journal writer only when it sleeps and has work.
    private FollowUp TakeFollowUp()
    {
        var wake = Math.Min(_idle, _scheduler.ReadyCount);
        _idle -= wake;
        var signal = false;
        var announce = false;
        if (_durable)
        {
            if (_writerWaiting && (_scheduler.Journal!.Count > 0 || _scheduler.HasFinished))
            {
                _writerWaiting = false;
                signal = true;
            }
        }
        else
        {
            announce = _scheduler.HasFinished;
        }

        return new FollowUp(wake, signal, announce, TakeQueueWaiters());
    }

    private void Apply(FollowUp follow)
    {
        if (follow.Wake > 0)
        {
            _wake.Release(follow.Wake);
        }

        if (follow.SignalWriter)
        {
            _writerSignal.Release();
        }

        if (follow.Announce)
        {
            Announce();
        }

        if (follow.QueueRoom is { } waiters)
        {
            foreach (var waiter in waiters)
            {
                waiter.TrySetResult();
            }
        }
    }

    /// <summary>Completes the waiters of finished runs (non-durable store: at once; a durable store's
    /// writer does it once their final state is committed).</summary>
    private void Announce()
    {
        RunExecution[] finished;
        lock (_gate)
        {
            if (_durable || !_scheduler.HasFinished)
            {
                return;
            }

            _scheduler.DrainFinished(_announce);
            finished = [.. _announce];
            _announce.Clear();
        }

        Complete(finished);
    }

    private void Complete(IReadOnlyList<RunExecution> finished)
    {
        foreach (var run in finished)
        {
            var snapshot = run.Snapshot();
            if (_store is Storage.MemoryStore memory)
            {
                // The ephemeral store keeps the engine's own (lazily materialized) final picture.
                memory.SaveFinal(snapshot);
            }

            run.Completion.TrySetResult(snapshot);
        }
    }
}
