using Microsoft.Extensions.Time.Testing;
using Weft.Caching;

namespace Weft.Tests.Caching;

/// <summary>The memory cache's bounds, eviction policies, expiry and compression, on a fake clock.</summary>
public sealed class PolicyCacheTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private PolicyCache Cache(CacheEviction eviction, int maxEntries = 3, long maxBytes = 1 << 20) =>
        new(eviction, maxEntries, maxBytes, _clock);

    private CachedOutput Value(string? text, TimeSpan? ttl = null, int compressAbove = 1024) =>
        CachedOutput.Create(text, false, _clock.GetUtcNow(), _clock.GetUtcNow() + (ttl ?? TimeSpan.FromHours(1)), compressAbove);

    private static void Fill(PolicyCache cache, CachedOutput value, params string[] keys)
    {
        foreach (var key in keys)
        {
            cache.Set(key, value);
        }
    }

    [Fact]
    public void Set_OverMaxEntries_Lru_EvictsTheLeastRecentlyUsed()
    {
        var cache = Cache(CacheEviction.Lru);
        Fill(cache, Value("x"), "a", "b", "c");
        Assert.True(cache.TryGet("a", out _));

        cache.Set("d", Value("x"));

        Assert.False(cache.TryGet("b", out _));
        Assert.Equal(["c", "a", "d"], cache.EvictionOrder());
        Assert.Equal(1, cache.Evictions);
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public void Set_OverMaxEntries_Lfu_EvictsTheLeastFrequentlyUsed()
    {
        var cache = Cache(CacheEviction.Lfu);
        Fill(cache, Value("x"), "a", "b", "c");
        cache.TryGet("a", out _);
        cache.TryGet("a", out _);
        cache.TryGet("b", out _);
        cache.TryGet("c", out _);
        cache.TryGet("c", out _);
        cache.TryGet("c", out _);

        cache.Set("d", Value("x")); // d (0 uses) is now the least used
        cache.Set("e", Value("x"));

        Assert.False(cache.TryGet("b", out _));
        Assert.False(cache.TryGet("d", out _));
        Assert.Equal(["e", "a", "c"], cache.EvictionOrder());
        Assert.Equal(2, cache.Evictions);
    }

    [Fact]
    public void Set_OverMaxEntries_Fifo_EvictsTheOldestWhateverItsUse()
    {
        var cache = Cache(CacheEviction.Fifo);
        Fill(cache, Value("x"), "a", "b", "c");
        cache.TryGet("a", out _);
        cache.TryGet("a", out _);

        cache.Set("d", Value("x"));

        Assert.False(cache.TryGet("a", out _));
        Assert.Equal(["b", "c", "d"], cache.EvictionOrder());
    }

    [Fact]
    public void Set_OverMaxBytes_EvictsUntilTheBytesFit()
    {
        var cache = Cache(CacheEviction.Lru, maxEntries: 100, maxBytes: 250);
        Fill(cache, Value(new string('x', 100)), "a", "b");
        Assert.Equal(200, cache.Bytes);

        cache.Set("c", Value(new string('y', 100)));

        Assert.Equal(["b", "c"], cache.EvictionOrder());
        Assert.Equal(200, cache.Bytes);
        Assert.Equal(1, cache.Evictions);
    }

    [Fact]
    public void Set_EntryLargerThanMaxBytes_IsNotKept()
    {
        var cache = Cache(CacheEviction.Lru, maxEntries: 100, maxBytes: 50);
        cache.Set("a", Value("small"));

        cache.Set("big", Value(new string('x', 51), compressAbove: 1024));

        Assert.False(cache.TryGet("big", out _));
        Assert.True(cache.TryGet("a", out _));
        Assert.Equal(0, cache.Evictions);
    }

    [Fact]
    public void Set_SameKey_ReplacesAndKeepsTheByteCount()
    {
        var cache = Cache(CacheEviction.Lru);
        cache.Set("a", Value("12345"));
        cache.Set("a", Value("123"));

        Assert.True(cache.TryGet("a", out var value));
        Assert.Equal("123", value.Output());
        Assert.Equal(3, cache.Bytes);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void TryGet_AfterTtl_MissesAndDropsTheEntry()
    {
        var cache = Cache(CacheEviction.Lru);
        cache.Set("a", Value("x", TimeSpan.FromMinutes(10)));

        _clock.Advance(TimeSpan.FromMinutes(9));
        Assert.True(cache.TryGet("a", out _));
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.False(cache.TryGet("a", out _));
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.Bytes);
        Assert.Equal(1, cache.Expirations);
    }

    [Fact]
    public void CachedOutput_AboveTheThreshold_IsHeldCompressed()
    {
        var text = string.Concat(Enumerable.Repeat("row,of,csv,data\n", 200));

        var small = Value("short");
        var large = Value(text);

        Assert.False(small.IsCompressed);
        Assert.True(large.IsCompressed);
        Assert.True(large.Size < text.Length / 4);
        Assert.Equal(text, large.Output());
        Assert.Null(Value(null).Output());
    }
}
