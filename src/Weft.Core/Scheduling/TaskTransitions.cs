namespace Weft.Scheduling;

/// <summary>The one table of legal task state moves (DESIGN.md "States"). An illegal move is a bug
/// in the scheduler, so it throws rather than corrupting a run.</summary>
internal static class TaskTransitions
{
    private static readonly int[] Allowed = BuildTable();

    public static void Move(ref TaskSlot slot, TaskState to)
    {
        if ((Allowed[(int)slot.State] & (1 << (int)to)) == 0)
        {
            throw new InvalidOperationException($"illegal task transition {slot.State.ToName()} → {to.ToName()}");
        }

        slot.State = to;
    }

    private static int[] BuildTable()
    {
        var table = new int[Enum.GetValues<TaskState>().Length];
        void Allow(TaskState from, params TaskState[] to)
        {
            foreach (var t in to)
            {
                table[(int)from] |= 1 << (int)t;
            }
        }

        Allow(TaskState.Pending, TaskState.Queued, TaskState.Skipped, TaskState.UpstreamFailed, TaskState.Cancelled, TaskState.Cached);
        Allow(TaskState.Queued, TaskState.Running, TaskState.Waiting, TaskState.Cancelled);
        Allow(TaskState.Waiting, TaskState.Succeeded, TaskState.Failed, TaskState.TimedOut, TaskState.Cancelled, TaskState.Retrying);
        Allow(TaskState.Running, TaskState.Succeeded, TaskState.Failed, TaskState.TimedOut, TaskState.Cancelled, TaskState.Retrying, TaskState.Cached);
        Allow(TaskState.Retrying, TaskState.Queued, TaskState.Cancelled);
        return table;
    }
}
