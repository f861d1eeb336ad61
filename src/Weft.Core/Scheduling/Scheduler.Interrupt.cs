using Weft.Execution;

namespace Weft.Scheduling;

internal sealed partial class Scheduler
{
    /// <summary>A graceful stop gave up on a started attempt: it is recorded as interrupted and the
    /// task stays running, so the run stays unfinished and a resume gives the task a new attempt
    /// (as after a crash, but with the reason recorded now).</summary>
    public void Interrupt(WorkItem item, string reason)
    {
        var run = item.Run;
        ref var slot = ref run.Slots[item.Task];
        run.RunningCount--;
        Counters.Running--;
        slot.AttemptOutcome = TaskOutcomeStatus.Interrupted;
        slot.AttemptFinishedAt = time.GetUtcNow();
        slot.Error = reason;
        JournalAttempt(run, item.Task);
    }
}
