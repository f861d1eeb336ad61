using Weft.Execution;

namespace Weft.Scheduling;

/// <summary>The one attempt of a task the scheduler holds itself, with no slot: a map task (while its
/// instances run) and a <c>wait:</c> task. Both begin and settle their attempt the same way.</summary>
internal sealed partial class Scheduler
{
    /// <summary>Starts the held attempt, unless the task was restored with it (Attempts &gt; 0): then it
    /// keeps its attempt and start time.</summary>
    private static void BeginHeldAttempt(ref TaskSlot slot, DateTimeOffset now)
    {
        if (slot.Attempts > 0)
        {
            return;
        }

        slot.Attempts = 1;
        slot.StartedAt = now;
        slot.AttemptStartedAt = now;
        slot.AttemptOutcome = null;
        slot.Output = null;
        slot.Error = null;
    }

    /// <summary>Ends the held attempt with <paramref name="final"/> and lets the task's children decide.</summary>
    private void SettleHeldAttempt(RunExecution run, int task, TaskState final, string? output, string? error, DateTimeOffset now)
    {
        ref var slot = ref run.Slots[task];
        slot.AttemptFinishedAt = now;
        slot.AttemptOutcome = final switch
        {
            TaskState.Succeeded => TaskOutcomeStatus.Succeeded,
            TaskState.TimedOut => TaskOutcomeStatus.TimedOut,
            TaskState.Cancelled => TaskOutcomeStatus.Cancelled,
            _ => TaskOutcomeStatus.Failed,
        };
        slot.Output = output;
        slot.Error = error;
        JournalAttempt(run, task);
        Finish(run, task, final, now);
    }
}
