using Weft.Definitions;

namespace Weft.Scheduling;

internal sealed partial class Scheduler
{
    private void Queue(RunExecution run, int task, DateTimeOffset now)
    {
        if (run.IsMapTask(task))
        {
            StartMap(run, task, now);
            return;
        }

        if (run.Plan.HasWaits && task < run.Plan.Count && run.Plan.Tasks[task].Spec is WaitSpec)
        {
            StartWait(run, task, now);
            return;
        }

        if (run.Plan.HasChildren && task < run.Plan.Count && run.Plan.Tasks[task].Spec is ChildWorkflowSpec)
        {
            StartChild(run, task, now);
            return;
        }

        TaskTransitions.Move(ref run.Slots[task], TaskState.Queued);
        run.Slots[task].QueuedAtTicks = now.UtcTicks;
        _ready.Enqueue(new WorkItem(run, task), run.PriorityOf(task), run.Plan.RemainingPath[run.DefIndex(task)], run.DeadlineOf(task), now);
        Emit(run, RunEventKind.TaskQueued, task, now, run.Slots[task].Attempts);
    }

    /// <summary>Applies the task's trigger rule to its parents so far.</summary>
    private void Decide(RunExecution run, int task, DateTimeOffset now)
    {
        ref var slot = ref run.Slots[task];
        var decision = TriggerRules.Decide(run.Plan.Tasks[task].Trigger, slot, run.Plan.IndegreeOf(task));
        switch (decision)
        {
            case TriggerDecision.Run:
                Queue(run, task, now);
                break;
            case TriggerDecision.Skip:
                Finish(run, task, TaskState.Skipped, now);
                break;
            case TriggerDecision.UpstreamFailed:
                slot.Error = UpstreamFailure.Describe(run, task);
                Finish(run, task, TaskState.UpstreamFailed, now);
                break;
        }
    }

    /// <summary>Makes a task final and lets its children decide, iteratively (a chain of 100,000
    /// upstream failures must not overflow the stack).</summary>
    private void Finish(RunExecution run, int task, TaskState final, DateTimeOffset now)
    {
        var pending = _propagation;
        MarkFinal(run, task, final, now);
        pending.Push(task);
        while (pending.Count > 0)
        {
            var done = pending.Pop();
            if (done >= run.Plan.Count)
            {
                InstanceFinal(run, done, now);
                continue;
            }

            var state = run.Slots[done].State;
            foreach (var child in run.Plan.ChildrenOf(done))
            {
                ref var c = ref run.Slots[child];
                c.PendingParents--;
                switch (state)
                {
                    case TaskState.Succeeded or TaskState.Cached:
                        c.SucceededParents++;
                        break;
                    case TaskState.Skipped:
                        c.SkippedParents++;
                        break;
                    default:
                        c.FailedParents++;
                        break;
                }

                if (c.State != TaskState.Pending)
                {
                    continue;
                }

                var decision = TriggerRules.Decide(run.Plan.Tasks[child].Trigger, c, run.Plan.IndegreeOf(child));
                if (decision == TriggerDecision.Run)
                {
                    Queue(run, child, now);
                }
                else if (decision != TriggerDecision.Wait)
                {
                    if (decision == TriggerDecision.UpstreamFailed)
                    {
                        c.Error = UpstreamFailure.Describe(run, child);
                    }

                    MarkFinal(run, child, decision == TriggerDecision.Skip ? TaskState.Skipped : TaskState.UpstreamFailed, now);
                    pending.Push(child);
                }
            }
        }

        if (run.FinalCount == run.Slots.Length)
        {
            FinishRun(run, now);
        }
    }

    private void MarkFinal(RunExecution run, int task, TaskState final, DateTimeOffset now)
    {
        ref var slot = ref run.Slots[task];
        TaskTransitions.Move(ref slot, final);
        slot.FinishedAt = now;
        run.FinalCount++;
        Counters.Outstanding--;
        if (final is not (TaskState.Succeeded or TaskState.Skipped or TaskState.Cached))
        {
            run.UnsuccessfulCount++;
            Counters.TasksFailed++;
        }
        else if (final == TaskState.Succeeded)
        {
            Counters.TasksSucceeded++;
        }

        Counters.Instruments?.TaskFinished(run, task, final);

        JournalTask(run, task);
        if (run.Watchers is not null)
        {
            Emit(run, EventKindOf(final), task, now, slot.Attempts, slot.Error);
        }
    }

    private void FinishRun(RunExecution run, DateTimeOffset now)
    {
        if (run.State.IsFinal())
        {
            return; // a map task settled inside another task's propagation, which already ended the run
        }

        if (run.State == RunState.Paused && !run.CancelRequested)
        {
            return; // a paused run ends when it is resumed (Unpause re-checks)
        }

        run.State = run.CancelRequested ? RunState.Cancelled
            : run.UnsuccessfulCount == 0 ? RunState.Succeeded
            : RunState.Failed;
        run.FinishedAt = now;
        Counters.RunsFinished++;
        JournalRun(run);

        // RunFinished goes to watchers when the engine reports the run finished (ReportFinished):
        // on a durable store that is after this state is committed, not now.
        _finished.Add(run);
    }

    private static RunEventKind EventKindOf(TaskState final) => final switch
    {
        TaskState.Succeeded or TaskState.Cached => RunEventKind.TaskSucceeded,
        TaskState.TimedOut => RunEventKind.TaskTimedOut,
        TaskState.Cancelled => RunEventKind.TaskCancelled,
        TaskState.Skipped => RunEventKind.TaskSkipped,
        TaskState.UpstreamFailed => RunEventKind.TaskUpstreamFailed,
        _ => RunEventKind.TaskFailed,
    };

    private static void Emit(RunExecution run, RunEventKind kind, int task, DateTimeOffset now, int attempt = 0, string? error = null)
    {
        if (run.Watchers is null)
        {
            return;
        }

        run.Emit(new RunEvent(kind, run.RunId, now)
        {
            TaskId = task < 0 ? null : run.TaskId(task),
            Attempt = attempt,
            Error = error,
        });
    }

    /// <summary>Queued entries per priority class, for status views.</summary>
    public int QueuedOf(TaskPriority priority) => _ready.CountOf(priority);
}
