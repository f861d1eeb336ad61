namespace Weft.Scheduling;

internal sealed partial class Scheduler
{
    /// <summary>Pauses a running run: tasks already running finish, nothing new starts until
    /// <see cref="Unpause"/>. Ready tasks are held aside in the run.</summary>
    public bool Pause(RunExecution run)
    {
        if (run.State != RunState.Running || run.CancelRequested)
        {
            return false;
        }

        run.State = RunState.Paused;
        JournalRun(run);
        Emit(run, RunEventKind.RunPaused, -1, time.GetUtcNow());
        return true;
    }

    /// <summary>Lets a paused run go on: its held tasks go back to the ready queue in their order.</summary>
    public bool Unpause(RunExecution run)
    {
        if (run.State != RunState.Paused)
        {
            return false;
        }

        run.State = RunState.Running;
        JournalRun(run);
        var now = time.GetUtcNow();
        Emit(run, RunEventKind.RunResumed, -1, now);
        if (run.Held is { } held)
        {
            foreach (var task in held)
            {
                if (run.Slots[task].State == TaskState.Queued)
                {
                    _ready.Enqueue(new WorkItem(run, task), run.PriorityOf(task), run.Plan.RemainingPath[run.DefIndex(task)], run.DeadlineOf(task), now);
                }
            }

            run.Held = null;
        }

        if (run.FinalCount == run.Slots.Length)
        {
            FinishRun(run, now);
        }

        return true;
    }

    /// <summary>Starts a run some of whose tasks are already final (reused outputs of an earlier run).</summary>
    public void StartWithReused(RunExecution run)
    {
        for (var t = 0; t < run.Slots.Length; t++)
        {
            if (run.Slots[t].State.IsFinal())
            {
                JournalTask(run, t);
            }
        }

        Resume(run, new DateTimeOffset?[run.Slots.Length]);
    }
}
