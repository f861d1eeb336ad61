namespace Weft.Storage;

/// <summary>Result cache entries of the ephemeral store. The engine does not use them (its memory
/// cache already holds what this would), but the store keeps the contract for the conformance suite
/// and for callers who use a store directly.</summary>
public sealed partial class MemoryStore
{
    private readonly Dictionary<string, CacheEntry> _cache = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<CacheEntry?> GetCacheAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return new(_cache.GetValueOrDefault(key));
        }
    }

    /// <inheritdoc />
    public ValueTask PutCacheAsync(CacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            _cache[entry.Key] = entry;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<int> PurgeCacheAsync(DateTimeOffset expiredBefore, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var old = _cache.Values.Where(e => e.ExpiresAt <= expiredBefore).Select(e => e.Key).ToList();
            foreach (var key in old)
            {
                _cache.Remove(key);
            }

            return new(old.Count);
        }
    }
}
