namespace Weft.Caching;

/// <summary>The in-memory result cache: bounded by entries and by bytes, evicting by LRU, LFU or FIFO,
/// with a per-entry expiry read on the engine's <see cref="TimeProvider"/>. One lock and a sorted
/// set ordered by the policy's rank; O(log n) per operation, which is noise next to the SHA-256
/// of the key and the task it replaces. (Why not BitFaster.Caching or MemoryCache: see
/// docs/ARCHITECTURE.md "Result cache".)</summary>
internal sealed class PolicyCache
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Node> _entries = new(StringComparer.Ordinal);
    private readonly SortedSet<Node> _order;
    private readonly CacheEviction _eviction;
    private readonly int _maxEntries;
    private readonly long _maxBytes;
    private readonly TimeProvider _time;
    private long _tick;
    private long _bytes;
    private long _evictions;
    private long _expirations;

    public PolicyCache(CacheEviction eviction, int maxEntries, long maxBytes, TimeProvider time)
    {
        _eviction = eviction;
        _maxEntries = maxEntries;
        _maxBytes = maxBytes;
        _time = time;
        _order = new SortedSet<Node>(Comparer<Node>.Create(static (a, b) =>
        {
            var c = a.Frequency.CompareTo(b.Frequency);
            return c != 0 ? c : a.Stamp.CompareTo(b.Stamp);
        }));
    }

    /// <summary>Drops every entry (memory is critical); returns how many were dropped.</summary>
    public int Clear()
    {
        lock (_gate)
        {
            var n = _entries.Count;
            _entries.Clear();
            _order.Clear();
            Interlocked.Exchange(ref _bytes, 0);
            Interlocked.Add(ref _evictions, n);
            return n;
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public long Bytes => Interlocked.Read(ref _bytes);

    public long Evictions => Interlocked.Read(ref _evictions);

    public long Expirations => Interlocked.Read(ref _expirations);

    /// <summary>The entry under <paramref name="key"/>, unless missing or expired (an expired one is dropped).</summary>
    public bool TryGet(string key, out CachedOutput value)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var node))
            {
                value = null!;
                return false;
            }

            if (_time.GetUtcNow() >= node.Value.ExpiresAt)
            {
                Remove(node);
                _expirations++;
                value = null!;
                return false;
            }

            // FIFO ranks by insertion alone; LRU by last use; LFU by uses, then last use.
            if (_eviction != CacheEviction.Fifo)
            {
                _order.Remove(node);
                node.Stamp = ++_tick;
                if (_eviction == CacheEviction.Lfu)
                {
                    node.Frequency++;
                }

                _order.Add(node);
            }

            value = node.Value;
            return true;
        }
    }

    /// <summary>Adds or replaces an entry, first evicting by policy until it fits both bounds. An entry larger
    /// than the byte bound is not kept at all (it would evict everything and then itself).</summary>
    public void Set(string key, CachedOutput value)
    {
        if (value.Size > _maxBytes)
        {
            return;
        }

        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var old))
            {
                Remove(old);
            }

            // Room first, then the entry: under LFU a newcomer has the fewest uses and would
            // otherwise evict itself.
            while (_entries.Count > 0 && (_entries.Count + 1 > _maxEntries || _bytes + value.Size > _maxBytes))
            {
                Remove(_order.Min!);
                _evictions++;
            }

            var node = new Node(key, value) { Stamp = ++_tick };
            _entries.Add(key, node);
            _order.Add(node);
            _bytes += value.Size;
        }
    }

    /// <summary>Keys from the next to be evicted to the last (tests read the policy's order here).</summary>
    public IReadOnlyList<string> EvictionOrder()
    {
        lock (_gate)
        {
            return [.. _order.Select(n => n.Key)];
        }
    }

    private void Remove(Node node)
    {
        _order.Remove(node);
        _entries.Remove(node.Key);
        _bytes -= node.Value.Size;
    }

    private sealed class Node(string key, CachedOutput value)
    {
        public string Key { get; } = key;

        public CachedOutput Value { get; } = value;

        public long Frequency { get; set; }

        public long Stamp { get; set; }
    }
}
