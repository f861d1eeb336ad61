namespace Weft.Scheduling;

/// <summary>The ready tasks of one priority class without a deadline: one FIFO bucket per distinct
/// rank (remaining path), the non-empty buckets in a max-heap by rank. A run's tasks usually have
/// few distinct ranks, and with one rank (or in FIFO mode, where every rank is 0) enqueue and
/// dequeue are O(1): the last bucket used is remembered, so neither the map nor the heap is touched.</summary>
internal sealed class RankBuckets
{
    private static readonly Comparer<double> Descending = Comparer<double>.Create((a, b) => b.CompareTo(a));

    // A bucket is in the map exactly while it is in the heap; an emptied bucket is dropped lazily,
    // when it reaches the top, so taking from a bucket in the middle (aging) costs nothing extra.
    private readonly Dictionary<double, Queue<QueueEntry>> _byRank = [];
    private readonly PriorityQueue<Queue<QueueEntry>, double> _heap = new(Descending);
    private readonly Stack<Queue<QueueEntry>> _spare = new();
    private Queue<QueueEntry>? _last;
    private double _lastRank;
    private int _reserve;

    public int Count { get; private set; }

    /// <summary>The next bucket created or used grows to hold this many more entries at once.</summary>
    public void Reserve(int count) => _reserve = count;

    public void Enqueue(in QueueEntry entry, double rank)
    {
        var bucket = _last is not null && _lastRank.Equals(rank) ? _last : BucketFor(rank);
        if (_reserve > 0)
        {
            bucket.EnsureCapacity(bucket.Count + _reserve);
            _reserve = 0;
        }

        bucket.Enqueue(entry);
        Count++;
    }

    /// <summary>The head of the highest-rank bucket: the oldest of the most critical tasks.</summary>
    public bool TryPeek(out QueueEntry entry, out double rank)
    {
        while (_heap.TryPeek(out var bucket, out rank))
        {
            if (bucket.TryPeek(out entry))
            {
                return true;
            }

            DropTop();
        }

        entry = default;
        rank = 0;
        return false;
    }

    /// <summary>Takes the head of the highest-rank bucket (the fast path: one peek, one dequeue).</summary>
    public bool TryDequeueTop(out QueueEntry entry)
    {
        while (_heap.TryPeek(out var bucket, out _))
        {
            if (bucket.TryDequeue(out entry))
            {
                Count--;
                return true;
            }

            DropTop();
        }

        entry = default;
        return false;
    }

    /// <summary>Takes the entry that <see cref="TryPeek"/> just returned.</summary>
    public QueueEntry DequeueTop()
    {
        Count--;
        return _heap.Peek().Dequeue();
    }

    /// <summary>The oldest entry of the class, which is the head of one of the buckets (each bucket
    /// is FIFO). O(buckets); the queue calls it only when aging may apply.</summary>
    public bool TryPeekOldest(out QueueEntry entry, out double rank, out Queue<QueueEntry>? bucket)
    {
        entry = default;
        rank = 0;
        bucket = null;
        foreach (var (b, r) in _heap.UnorderedItems)
        {
            if (b.TryPeek(out var head) && (bucket is null || head.Sequence < entry.Sequence))
            {
                (entry, rank, bucket) = (head, r, b);
            }
        }

        return bucket is not null;
    }

    /// <summary>Takes the head of a bucket found by <see cref="TryPeekOldest"/>.</summary>
    public QueueEntry DequeueFrom(Queue<QueueEntry> bucket)
    {
        Count--;
        return bucket.Dequeue();
    }

    private Queue<QueueEntry> BucketFor(double rank)
    {
        if (!_byRank.TryGetValue(rank, out var bucket))
        {
            bucket = _spare.TryPop(out var spare) ? spare : new Queue<QueueEntry>();
            _byRank.Add(rank, bucket);
            _heap.Enqueue(bucket, rank);
        }

        _last = bucket;
        _lastRank = rank;
        return bucket;
    }

    private void DropTop()
    {
        _heap.TryDequeue(out var bucket, out var rank);
        _byRank.Remove(rank);
        if (ReferenceEquals(bucket, _last))
        {
            _last = null;
        }

        // A few emptied buckets are kept with their capacity, so a steady stream of runs reuses them.
        if (_spare.Count < 8)
        {
            _spare.Push(bucket!);
        }
    }
}
