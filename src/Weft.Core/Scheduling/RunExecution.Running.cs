namespace Weft.Scheduling;

internal sealed partial class RunExecution
{
    /// <summary>The tasks running right now, with when their current attempt started. Call under
    /// the engine's lock; costs nothing for a run with no running task.</summary>
    public IEnumerable<(int Task, DateTimeOffset AttemptStartedAt)> Running()
    {
        if (RunningCount == 0)
        {
            yield break;
        }

        for (var i = 0; i < Slots.Length; i++)
        {
            // A map task "runs" while its instances do; they are the ones with attempts.
            if (Slots[i].State == TaskState.Running && !IsMapTask(i))
            {
                yield return (i, Slots[i].AttemptStartedAt);
            }
        }
    }

    /// <summary>Call under the engine's lock: the task <paramref name="taskId"/> when <paramref name="attempt"/>
    /// is its running attempt; null for a duplicate or late report (the attempt ended or was replaced).</summary>
    public WorkItem? RunningAttempt(string taskId, int attempt)
    {
        if (!TryFindTask(taskId, out var task))
        {
            return null;
        }

        ref readonly var slot = ref Slots[task];
        return slot.State == TaskState.Running && slot.Attempts == attempt ? new WorkItem(this, task) : null;
    }
}
