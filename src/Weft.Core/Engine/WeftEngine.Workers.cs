using Weft.Execution;
using Weft.Scheduling;
using Weft.WorkerPool;

namespace Weft;

public sealed partial class WeftEngine
{
    /// <summary>Outcomes a slot may hold before it must report them under the lock.</summary>
    private const int ReportBatch = 32;

    // Fetch → run → report. A slot runs the tasks of its own queue (and steals from other slots when
    // it is empty) without the engine lock; it takes the lock to report outcomes and, when it has
    // nothing left, to have the scheduler claim ready tasks and hand them to slots by the strategy.
    // What a crash at each point means (durable store): before the claim is journaled and committed,
    // the task is simply not started; after, it is "running" and recovery gives it a new attempt
    // marked interrupted; a completion reported but not yet committed is, after a crash, an attempt
    // that ran (at-least-once) and runs again. A task claimed into a slot's queue counts as started.
    private async Task SlotLoopAsync(WorkerSlot me)
    {
        try
        {
            var reportNow = false;
            while (true)
            {
                ClaimedTask next = default;
                var have = !reportNow && me.DoneCount < ReportBatch && !Volatile.Read(ref _draining)
                    && (me.TakeAhead(out next) || me.TryTake(out next) || TrySteal(me, out next));
                if (!have)
                {
                    bool exit;
                    FollowUp follow;
                    AwaitTurn(me);
                    Interlocked.Increment(ref _slotsAtGate);
                    lock (_gate)
                    {
                        Interlocked.Decrement(ref _slotsAtGate);
                        me.Turn = ++_gateTurns;
                        ReportOutcomes(me);
                        have = NextUnderGate(me, out next, out exit, out var handedOut);
                        follow = TakeFollowUp();
                        follow = follow with { Wake = follow.Wake + WakeFor(handedOut) };
                    }

                    Apply(follow);
                    if (exit)
                    {
                        break;
                    }

                    if (!have)
                    {
                        await _wake.WaitAsync().ConfigureAwait(false);
                        me.Parked = false;
                        continue;
                    }
                }

                var ran = RunClaimed(me, next);
                reportNow = ran.IsCompletedSuccessfully ? ran.Result : await ran.ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            OnSlotCrashed(me, ex);
        }

        Announce();
    }

    // Returns true when the outcome must be reported at once (asynchronous work, or outcomes held
    // for more than about a millisecond): only runs of tiny synchronous tasks are batched. The
    // synchronous path is not an async method, so a no-op task costs no state machine.
    private ValueTask<bool> RunClaimed(WorkerSlot me, ClaimedTask next)
    {
        me.Current = next;
        me.HasCurrent = true;
        me.Busy = true;
        SlotProbe?.Invoke(next.Item);
        var pending = ExecuteAttempt(next.Item, next.Attempt);
        if (!pending.IsCompletedSuccessfully)
        {
            return AwaitClaimedAsync(me, next, pending);
        }

        if (me.InlineStreak < WorkerSlot.HoldAheadAfter)
        {
            me.InlineStreak++;
        }

        // Outcomes held more than about a millisecond (a slow synchronous handler) go out now. The
        // clock is read only while outcomes are held, so a chain (one at a time) never reads it.
        var reportNow = false;
        if (me.DoneCount > 0)
        {
            var now = Environment.TickCount64;
            if (me.FirstDoneAt == 0)
            {
                me.FirstDoneAt = now;
            }
            else
            {
                reportNow = now - me.FirstDoneAt > 1;
            }
        }

        Finished(me, next, pending.Result);
        return new ValueTask<bool>(reportNow);
    }

    private async ValueTask<bool> AwaitClaimedAsync(WorkerSlot me, ClaimedTask next, ValueTask<TaskOutcome> pending)
    {
        me.InlineStreak = 0;
        if (me.DoneCount > 0)
        {
            // The handler is waiting on something: report what finished before, while it waits.
            FollowUp follow;
            lock (_gate)
            {
                ReportOutcomes(me);
                follow = TakeFollowUp();
            }

            Apply(follow);
        }

        Finished(me, next, await pending.ConfigureAwait(false));
        return true;
    }

    private static void Finished(WorkerSlot me, ClaimedTask task, TaskOutcome outcome)
    {
        me.DoneItems[me.DoneCount] = task.Item;
        me.DoneOutcomes[me.DoneCount++] = outcome;
        me.HasCurrent = false;
        me.Busy = false;
        me.Completed++;
    }

    // Call under the lock. Reports in order; on an exception the unreported rest stays for the crash handler.
    private void ReportOutcomes(WorkerSlot me)
    {
        while (me.DoneHead < me.DoneCount)
        {
            var i = me.DoneHead++;
            if (_interrupting && !me.DoneOutcomes[i].IsSuccess)
            {
                _scheduler.Interrupt(me.DoneItems[i], InterruptedByStop);
            }
            else
            {
                _scheduler.Complete(me.DoneItems[i], me.DoneOutcomes[i]);
            }

            me.DoneOutcomes[i] = default; // let go of outputs
        }

        me.DoneHead = 0;
        me.DoneCount = 0;
        me.FirstDoneAt = 0;
    }

    // Call under the lock: the slot's next task (its queue, then a dispatch, then a steal), or
    // whether it parks or exits. handedOut counts tasks given to other slots, which may need waking.
    private bool NextUnderGate(WorkerSlot me, out ClaimedTask next, out bool exit, out int handedOut)
    {
        handedOut = 0;
        exit = false;
        if (_draining || me.Retiring)
        {
            if (!_draining && (me.TakeAhead(out next) || me.TryTake(out next)))
            {
                return true; // a retiring slot finishes what it was given
            }

            while (me.TakeAhead(out var held))
            {
                _scheduler.Interrupt(held.Item, NotStartedByStop); // draining: held tasks never start
            }

            next = default;
            exit = true;
            RemoveSlot(me);
            return false;
        }

        if (me.TakeAhead(out next) || me.TryTake(out next))
        {
            return true;
        }

        handedOut = Dispatch(me, out next, out var own);
        if (own || TrySteal(me, out next))
        {
            return true;
        }

        if (_stopping)
        {
            exit = true;
            return false;
        }

        _idle++;
        me.Parked = true;
        return false;
    }

    // Call under the lock: claims ready tasks while some slot has room, each to the slot the
    // strategy picks. The first one picked for the asking slot comes back directly (a chain's next
    // task never goes through a queue). Returns how many went to other slots.
    private int Dispatch(WorkerSlot asking, out ClaimedTask own, out bool hasOwn)
    {
        var slots = _slots;
        var others = 0;
        own = default;
        hasOwn = false;
        while (_scheduler.ReadyCount > 0 && _picker.Pick(slots, asking) is { } target)
        {
            if (!_scheduler.TryStartNext(out var item, out var attempt))
            {
                break;
            }

            if (target == asking && !hasOwn)
            {
                own = new ClaimedTask(item, attempt);
                hasOwn = true;
                asking.Busy = true; // counts as its load for the picks that follow
                continue;
            }

            if (target == asking)
            {
                asking.Hold(new ClaimedTask(item, attempt)); // only it runs them: no lock per task
            }
            else
            {
                target.Push(new ClaimedTask(item, attempt));
                others++;
            }
        }

        return others;
    }

    private bool TrySteal(WorkerSlot me, out ClaimedTask task) => me.TrySteal(Volatile.Read(ref _slots), out task);

    // Call under the lock: parked slots to wake for tasks handed to other slots' queues.
    private int WakeFor(int handedOut)
    {
        var wake = Math.Min(_idle, handedOut);
        _idle -= wake;
        return wake;
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
        if (finished.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            foreach (var run in finished)
            {
                run.ReportFinished();
            }
        }

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

        ForgetLater(finished);
    }
}
