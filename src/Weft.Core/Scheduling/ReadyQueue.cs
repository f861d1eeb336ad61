using Weft.Definitions;

namespace Weft.Scheduling;

/// <summary>Ready tasks across all runs: one FIFO per priority class, most urgent class first.
/// Entries of tasks that were cancelled while queued stay until dequeued and are skipped then,
/// which keeps cancellation O(1) per task.</summary>
internal sealed class ReadyQueue
{
    private readonly Queue<WorkItem>[] _classes =
        [new Queue<WorkItem>(), new Queue<WorkItem>(), new Queue<WorkItem>(), new Queue<WorkItem>()];

    public int Count { get; private set; }

    public void Enqueue(WorkItem item, TaskPriority priority)
    {
        _classes[(int)priority].Enqueue(item);
        Count++;
    }

    /// <summary>Makes room for <paramref name="count"/> more entries in a class, so a large run's
    /// roots are queued without repeated growth.</summary>
    public void Reserve(TaskPriority priority, int count) =>
        _classes[(int)priority].EnsureCapacity(_classes[(int)priority].Count + count);

    public bool TryDequeue(out WorkItem item)
    {
        for (var i = 0; i < _classes.Length; i++)
        {
            if (_classes[i].TryDequeue(out item))
            {
                Count--;
                return true;
            }
        }

        item = default;
        return false;
    }

    /// <summary>Queued entries per priority class (stale ones included).</summary>
    public int CountOf(TaskPriority priority) => _classes[(int)priority].Count;
}
