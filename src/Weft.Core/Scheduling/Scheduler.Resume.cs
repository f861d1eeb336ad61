using Weft.Execution;

namespace Weft.Scheduling;

internal sealed partial class Scheduler
{
    /// <summary>Continues a run rebuilt from the store: tasks recorded final stay final (never run
    /// again), an attempt that was running when its process died is recorded as interrupted and the
    /// task runs again, a retry keeps its due time, and everything else is decided afresh from its
    /// parents' recorded states.</summary>
    /// <para>In a cluster, <paramref name="adopt"/> says which running tasks (by index) still have their
    /// attempt out with a worker: those stay running and are not interrupted.</para>
    public void Resume(RunExecution run, IReadOnlyList<DateTimeOffset?> retryDueAt, Func<int, bool>? adopt = null)
    {
        var now = time.GetUtcNow();
        var plan = run.Plan;
        for (var t = 0; t < run.Slots.Length; t++)
        {
            ref var slot = ref run.Slots[t];
            switch (slot.State)
            {
                case TaskState.Running when run.IsMapTask(t):
                    slot.State = TaskState.Pending; // restoring: it expands again, its final instances stay final
                    break;
                case TaskState.Running when adopt?.Invoke(t) == true:
                    Adopt(run, t);
                    break;
                case TaskState.Running:
                    RestoreInterrupted(run, t, now); // the task starts over
                    break;
                case TaskState.Queued:
                    slot.State = TaskState.Pending;
                    break;
                case TaskState.Waiting:
                    slot.State = TaskState.Pending; // restoring: it waits again, keeping its attempt and start time
                    break;
                case TaskState.Retrying:
                    var delay = retryDueAt[t] is { } due && due > now ? due - now : TimeSpan.Zero;
                    slot.RetryDelay = delay;
                    slot.RetryTimer = LongTimers.Once(time, static state => ((RetryTimerState)state!).Fire(), new RetryTimerState(onRetryDue, run, t), delay);
                    break;
                default:
                    if (slot.State.IsFinal())
                    {
                        run.FinalCount++;
                        Counters.Outstanding--;
                        if (slot.State is not (TaskState.Succeeded or TaskState.Skipped or TaskState.Cached))
                        {
                            run.UnsuccessfulCount++;
                        }
                    }

                    break;
            }
        }

        for (var t = 0; t < run.Slots.Length; t++)
        {
            ref var slot = ref run.Slots[t];
            slot.PendingParents = plan.IndegreeOf(t);
            foreach (var p in plan.ParentsOf(t))
            {
                var parent = run.Slots[p].State;
                if (!parent.IsFinal())
                {
                    continue;
                }

                slot.PendingParents--;
                if (parent is TaskState.Succeeded or TaskState.Cached)
                {
                    slot.SucceededParents++;
                }
                else if (parent == TaskState.Skipped)
                {
                    slot.SkippedParents++;
                }
                else
                {
                    slot.FailedParents++;
                }
            }
        }

        run.State = RunState.Running;
        run.StartedAt ??= now;
        JournalRun(run);
        Emit(run, RunEventKind.RunStarted, -1, now);
        // Up to the plan's tasks only: a map task deciding to run appends its instances, which it queues itself.
        for (var t = 0; t < run.Plan.Count; t++)
        {
            if (run.Slots[t].State == TaskState.Pending)
            {
                Decide(run, t, now);
            }
        }

        if (run.FinalCount == run.Slots.Length && !run.State.IsFinal())
        {
            FinishRun(run, now);
        }
    }

    /// <summary>Restoring a task or map instance whose attempt was running when its process stopped: the
    /// attempt is recorded interrupted and the slot is pending again (restoring, not a transition).</summary>
    private void RestoreInterrupted(RunExecution run, int t, DateTimeOffset now)
    {
        ref var slot = ref run.Slots[t];
        slot.AttemptOutcome = TaskOutcomeStatus.Interrupted;
        slot.AttemptFinishedAt = now;
        slot.Error = "interrupted: the process running this attempt stopped before it finished";
        JournalAttempt(run, t);
        (slot.History ??= []).Add(slot.CurrentAttempt(slot.Attempts));
        slot.State = TaskState.Pending;
    }
}
