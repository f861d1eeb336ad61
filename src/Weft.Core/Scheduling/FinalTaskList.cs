using System.Collections;

namespace Weft.Scheduling;

/// <summary>The tasks of a finished run, each built when it is read: a run's state no longer changes
/// once it is final, so every read of a task gives the same picture, and the snapshot handed to waiters
/// costs nothing on the worker that finished the run. Nothing read is kept: a waiter that walks the
/// tasks of a million-task run once (to count the failures, say) would otherwise leave a third of a
/// gigabyte of task snapshots behind it for as long as the run stays in memory.</summary>
internal sealed class FinalTaskList(RunExecution run) : IReadOnlyList<TaskSnapshot>
{
    public int Count => run.Slots.Length;

    public TaskSnapshot this[int index] => run.TaskSnapshotOf(index);

    public IEnumerator<TaskSnapshot> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return run.TaskSnapshotOf(i);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
