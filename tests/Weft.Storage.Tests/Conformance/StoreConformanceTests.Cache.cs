using static Weft.Storage.Tests.Samples;

namespace Weft.Storage.Tests.Conformance;

/// <summary>Result cache entries: put, get, replace, expiry (kept until purged) and purge.</summary>
public abstract partial class StoreConformanceTests
{
    private static CacheEntry Entry(string key, string? output, TimeSpan ttl, bool truncated = false) =>
        new(key, output, truncated, T0, T0 + ttl);

    [Fact]
    public async Task PutCache_ThenGet_ReturnsTheEntry()
    {
        var large = string.Concat(Enumerable.Repeat("compressible output ", 500));
        await Store.PutCacheAsync(Entry("k1", "small", TimeSpan.FromHours(1)));
        await Store.PutCacheAsync(Entry("k2", large, TimeSpan.FromHours(2), truncated: true));
        await Store.PutCacheAsync(Entry("k3", null, TimeSpan.FromHours(3)));

        Assert.Equal(Entry("k1", "small", TimeSpan.FromHours(1)), await Store.GetCacheAsync("k1"));
        Assert.Equal(Entry("k2", large, TimeSpan.FromHours(2), truncated: true), await Store.GetCacheAsync("k2"));
        Assert.Equal(Entry("k3", null, TimeSpan.FromHours(3)), await Store.GetCacheAsync("k3"));
        Assert.Null(await Store.GetCacheAsync("unknown"));
    }

    [Fact]
    public async Task PutCache_SameKey_Replaces()
    {
        await Store.PutCacheAsync(Entry("k", "old", TimeSpan.FromHours(1)));
        await Store.PutCacheAsync(Entry("k", "new", TimeSpan.FromHours(5)));

        var entry = await Store.GetCacheAsync("k");

        Assert.Equal("new", entry!.Output);
        Assert.Equal(T0 + TimeSpan.FromHours(5), entry.ExpiresAt);
    }

    [Fact]
    public async Task GetCache_ExpiredButNotPurged_IsReturnedWithItsExpiry()
    {
        await Store.PutCacheAsync(Entry("k", "v", TimeSpan.FromMinutes(1)));

        var entry = await Store.GetCacheAsync("k");

        Assert.Equal(T0.AddMinutes(1), entry!.ExpiresAt); // stores have no clock: the caller decides
    }

    [Fact]
    public async Task PurgeCache_RemovesOnlyEntriesExpiredByThen()
    {
        await Store.PutCacheAsync(Entry("a", "1", TimeSpan.FromMinutes(1)));
        await Store.PutCacheAsync(Entry("b", "2", TimeSpan.FromMinutes(10)));
        await Store.PutCacheAsync(Entry("c", "3", TimeSpan.FromHours(1)));

        var purged = await Store.PurgeCacheAsync(T0.AddMinutes(10));

        Assert.Equal(2, purged);
        Assert.Null(await Store.GetCacheAsync("a"));
        Assert.Null(await Store.GetCacheAsync("b"));
        Assert.Equal("3", (await Store.GetCacheAsync("c"))!.Output);
        Assert.Equal(0, await Store.PurgeCacheAsync(T0.AddMinutes(10)));
    }

    [Fact]
    public async Task PurgeRuns_LeavesCacheEntries()
    {
        await Store.PutCacheAsync(Entry("k", "v", TimeSpan.FromDays(365)));

        await Store.PurgeAsync(T0.AddDays(400));

        Assert.NotNull(await Store.GetCacheAsync("k"));
    }
}
