using Weft.Definitions;

namespace Weft.Scheduling;

/// <summary>Ready tasks across all runs. Per priority class: rank buckets for tasks without a
/// deadline (<see cref="RankBuckets"/>: longest remaining path first, FIFO among equals) and a
/// min-heap by deadline for tasks with one. At dequeue each candidate's effective class is worked out
/// from the clock: deadlines near or past, and aging, move a task up (see ReadyQueue.Urgency.cs).
/// With no deadlines queued and nothing old enough to age, dequeue is the plain O(1) path: the head
/// of the top bucket of the first non-empty class. Entries of tasks cancelled while queued stay
/// until dequeued and are skipped by the scheduler then, which keeps cancellation O(1) per task.</summary>
internal sealed partial class ReadyQueue
{
    /// <summary>The deadline of a task that has none.</summary>
    public const long NoDeadline = long.MaxValue;

    private const int Classes = 4;

    private readonly RankBuckets[] _classes = [new(), new(), new(), new()];
    private readonly PriorityQueue<QueueEntry, DeadlineKey>[] _deadlines =
        [new(DeadlineKey.Order), new(DeadlineKey.Order), new(DeadlineKey.Order), new(DeadlineKey.Order)];

    // Per class, a lower bound on the queue time of its bucketed entries: while now - bound is below
    // the aging interval nothing in the class can have aged, so the fast path needs no scan.
    private readonly long[] _oldestBound = [long.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue];
    private long _sequence;
    private int _withDeadline;
    private ReadyQueueSettings _settings = ReadyQueueSettings.Default;
    private bool _fifo;
    private long _agingTicks = ReadyQueueSettings.Default.AgingInterval?.Ticks ?? 0;

    public int Count { get; private set; }

    /// <summary>Applies the engine's options; call before the first enqueue.</summary>
    public void Configure(ReadyQueueSettings settings)
    {
        _settings = settings;
        _fifo = settings.Ordering == QueueOrdering.Fifo;
        _agingTicks = settings.AgingInterval?.Ticks ?? 0;
    }

    /// <summary>Queues a task. <paramref name="rank"/> is its remaining path (ignored in FIFO mode);
    /// <paramref name="deadline"/> is UTC ticks or <see cref="NoDeadline"/>.</summary>
    public void Enqueue(WorkItem item, TaskPriority priority, double rank, long deadline, DateTimeOffset now)
    {
        var c = (int)priority;
        var at = now.UtcTicks;
        var entry = new QueueEntry(item, at, _sequence++);
        if (_fifo)
        {
            rank = 0; // one bucket per class: plain FIFO
        }

        if (deadline != NoDeadline)
        {
            _deadlines[c].Enqueue(entry, new DeadlineKey(deadline, rank, entry.Sequence));
            _withDeadline++;
        }
        else
        {
            _oldestBound[c] = _classes[c].Count == 0 ? at : Math.Min(_oldestBound[c], at);
            _classes[c].Enqueue(entry, rank);
        }

        Count++;
    }

    /// <summary>Makes room for <paramref name="count"/> more entries in a class, so a large run's
    /// roots are queued without repeated growth.</summary>
    public void Reserve(TaskPriority priority, int count) => _classes[(int)priority].Reserve(count);

    /// <summary>Takes the most urgent entry as of <paramref name="now"/>.</summary>
    public bool TryDequeue(DateTimeOffset now, out WorkItem item)
    {
        if (Count == 0)
        {
            item = default;
            return false;
        }

        var t = now.UtcTicks;
        if (_withDeadline == 0 && !MayHaveAged(t))
        {
            foreach (var buckets in _classes)
            {
                if (buckets.Count > 0 && buckets.TryDequeueTop(out var entry))
                {
                    item = entry.Item;
                    Count--;
                    return true;
                }
            }
        }

        item = DequeueMostUrgent(t).Item;
        Count--;
        return true;
    }

    /// <summary>Queued entries per priority class (stale ones included).</summary>
    public int CountOf(TaskPriority priority) => _classes[(int)priority].Count + _deadlines[(int)priority].Count;

    private bool MayHaveAged(long now)
    {
        if (_agingTicks == 0)
        {
            return false;
        }

        // Critical cannot rise further, so only the three lower classes are checked.
        for (var c = 1; c < Classes; c++)
        {
            if (_classes[c].Count > 0 && now - _oldestBound[c] >= _agingTicks)
            {
                return true;
            }
        }

        return false;
    }
}
