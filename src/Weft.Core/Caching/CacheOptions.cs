namespace Weft;

/// <summary>Which entry the result cache drops when it is full.</summary>
public enum CacheEviction
{
    /// <summary>Least recently used (read or written) first.</summary>
    Lru,

    /// <summary>Least frequently read first; among equals, least recently used.</summary>
    Lfu,

    /// <summary>Oldest written first, however often it is read.</summary>
    Fifo,
}

/// <summary>Options of the result cache (tasks with <c>cache:</c>). Validated with the engine's options.</summary>
public sealed class CacheOptions
{
    /// <summary>Most entries kept in memory. Default 10,000.</summary>
    public int MaxEntries { get; set; } = 10_000;

    /// <summary>Most bytes of outputs (as held: compressed when large) kept in memory. Default 256 MiB.</summary>
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>What goes first when a bound is reached. Default <see cref="CacheEviction.Lru"/>.</summary>
    public CacheEviction Eviction { get; set; } = CacheEviction.Lru;

    /// <summary>How long an entry stays usable when its task's <c>cache:</c> names no <c>ttl</c>. Default 1 h.</summary>
    public TimeSpan DefaultTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Outputs larger than this (UTF-8 bytes) are held Brotli-compressed. Default 1 KiB.</summary>
    public int CompressAboveBytes { get; set; } = 1024;

    internal IEnumerable<string> Validate()
    {
        if (MaxEntries < 1)
        {
            yield return $"Cache.MaxEntries must be positive (was {MaxEntries})";
        }

        if (MaxBytes < 1)
        {
            yield return $"Cache.MaxBytes must be positive (was {MaxBytes})";
        }

        if (!Enum.IsDefined(Eviction))
        {
            yield return $"Cache.Eviction must be Lru, Lfu or Fifo (was {(int)Eviction})";
        }

        if (DefaultTtl <= TimeSpan.Zero)
        {
            yield return $"Cache.DefaultTtl must be positive (was {DefaultTtl})";
        }

        if (CompressAboveBytes < 0)
        {
            yield return $"Cache.CompressAboveBytes must not be negative (was {CompressAboveBytes})";
        }
    }
}
