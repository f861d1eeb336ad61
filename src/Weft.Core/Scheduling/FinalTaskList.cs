using System.Collections;

namespace Weft.Scheduling;

/// <summary>The tasks of a finished run, materialized on first read: a run's state no longer changes
/// once it is final, so the snapshot handed to waiters can be built lazily instead of on the worker
/// that finished the run.</summary>
internal sealed class FinalTaskList(RunExecution run) : IReadOnlyList<TaskSnapshot>
{
    private readonly TaskSnapshot?[] _items = new TaskSnapshot?[run.Slots.Length];

    public int Count => _items.Length;

    public TaskSnapshot this[int index] => _items[index] ??= run.TaskSnapshotOf(index);

    public IEnumerator<TaskSnapshot> GetEnumerator()
    {
        for (var i = 0; i < _items.Length; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
