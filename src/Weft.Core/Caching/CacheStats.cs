namespace Weft;

/// <summary>The result cache since the engine started (<see cref="WeftEngine.GetCacheStats"/>).</summary>
public sealed record CacheStats
{
    /// <summary>Look-ups answered, from memory or from the store.</summary>
    public long Hits { get; init; }

    /// <summary>Of <see cref="Hits"/>, those answered by the store after a memory miss (e.g. after a restart).</summary>
    public long StoreHits { get; init; }

    /// <summary>Look-ups that found no usable entry, in memory or in the store.</summary>
    public long Misses { get; init; }

    /// <summary>Hits over look-ups, in [0, 1]; null before the first look-up.</summary>
    public double? HitRate => Hits + Misses == 0 ? null : (double)Hits / (Hits + Misses);

    /// <summary>Entries dropped from memory to stay within the bounds.</summary>
    public long Evictions { get; init; }

    /// <summary>Entries dropped because their time was up.</summary>
    public long Expirations { get; init; }

    /// <summary>Entries in memory now.</summary>
    public int Entries { get; init; }

    /// <summary>Bytes the entries in memory hold now (compressed ones at their compressed size).</summary>
    public long Bytes { get; init; }

    /// <summary>Store reads or writes of cache entries that failed (the cache then works from memory).</summary>
    public long StoreErrors { get; init; }
}
