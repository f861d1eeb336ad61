using Weft.Storage;

namespace Weft.Scheduling;

internal sealed partial class RunExecution
{
    /// <summary>Loads recorded task states into the slots; returns each task's retry due time.
    /// The <see cref="Scheduler"/> then decides what runs again.</summary>
    public IReadOnlyList<DateTimeOffset?> Restore(StoredRun stored)
    {
        var snapshot = stored.Snapshot;
        StartedAt = snapshot.StartedAt;
        var due = new DateTimeOffset?[Slots.Length];
        foreach (var task in snapshot.Tasks)
        {
            if (!Plan.IndexOf.TryGetValue(task.TaskId, out var i))
            {
                RestoreInstance(task);
                continue;
            }

            Load(ref Slots[i], task);
            due[i] = task.RetryDueAt;
        }

        return due;
    }

    /// <summary>One recorded task (or map instance) into its slot.</summary>
    public static void Load(ref TaskSlot slot, TaskSnapshot task)
    {
        slot.State = task.State;
        slot.Attempts = task.Attempts;
        slot.StartedAt = task.StartedAt ?? default;
        slot.FinishedAt = task.FinishedAt ?? default;
        slot.Output = task.Output;
        slot.OutputTruncated = task.OutputTruncated;
        slot.Error = task.Error;
        slot.ExitCode = task.ExitCode;

        var history = task.AttemptHistory;
        if (history.Count > 0)
        {
            var latest = history[^1];
            slot.AttemptStartedAt = latest.StartedAt;
            slot.AttemptFinishedAt = latest.FinishedAt ?? default;
            slot.AttemptOutcome = latest.Outcome;
            slot.HttpStatus = latest.HttpStatus;
            slot.Stderr = latest.Stderr;
            slot.Worker = latest.Worker;
            slot.ExitCode = latest.ExitCode ?? slot.ExitCode;
            slot.Error = latest.Error ?? slot.Error;

            // The latest attempt lives inline unless the task waits to retry (then all are history).
            var past = task.State == TaskState.Retrying ? history.Count : history.Count - 1;
            if (past > 0)
            {
                slot.History = [.. history.Take(past)];
            }
        }
    }
}
