using Weft.Storage;
using Weft.Tests.Doubles;

namespace Weft.Tests.Caching;

/// <summary>A durable-looking store over a <see cref="MemoryStore"/> whose cache reads and writes
/// always fail, to show that the engine counts such failures and carries on from memory.</summary>
internal sealed class FailingCacheStore(MemoryStore inner) : ForwardingStore(inner)
{
    public override ValueTask<CacheEntry?> GetCacheAsync(string key, CancellationToken cancellationToken = default) => throw new WeftStoreException("disk on fire");

    public override ValueTask PutCacheAsync(CacheEntry entry, CancellationToken cancellationToken = default) => throw new WeftStoreException("disk on fire");

    public override ValueTask<int> PurgeCacheAsync(DateTimeOffset expiredBefore, CancellationToken cancellationToken = default) => throw new WeftStoreException("disk on fire");
}
