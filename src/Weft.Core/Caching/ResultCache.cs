using Weft.Execution;
using Weft.Storage;

namespace Weft.Caching;

/// <summary>The result cache as the worker path sees it: look a key up (memory, then a durable
/// store), remember a successful output (memory now, the store in the background). Called outside
/// the scheduler lock. Store failures never fail a task: they are counted and the cache carries on
/// from memory.</summary>
internal sealed class ResultCache : IAsyncDisposable
{
    private static readonly TimeSpan PurgeEvery = TimeSpan.FromHours(1);

    private readonly CacheOptions _options;
    private readonly TimeProvider _time;
    private readonly IWeftStore? _store;
    private readonly PolicyCache _memory;
    private readonly Lock _pendingGate = new();
    private readonly HashSet<Task> _pending = [];
    private readonly ITimer? _purgeTimer;
    private long _hits;
    private long _storeHits;
    private long _misses;
    private long _storeErrors;

    /// <param name="options">Bounds, default time to live and eviction of the entries kept in memory.</param>
    /// <param name="time">The engine's clock: entry ages and the purge timer.</param>
    /// <param name="store">A durable store to persist entries in; null keeps them in memory only.</param>
    public ResultCache(CacheOptions options, TimeProvider time, IWeftStore? store)
    {
        _options = options;
        _time = time;
        _store = store;
        _memory = new PolicyCache(options.Eviction, options.MaxEntries, options.MaxBytes, time);
        if (store is not null)
        {
            _purgeTimer = time.CreateTimer(static s => ((ResultCache)s!).PurgeExpired(), this, TimeSpan.Zero, PurgeEvery);
        }
    }

    /// <summary>The last store error, for status; null when none happened.</summary>
    public string? LastStoreError { get; private set; }

    internal PolicyCache Memory => _memory;

    /// <summary>A succeeded outcome marked <see cref="TaskOutcome.FromCache"/>, or null on a miss.</summary>
    public async ValueTask<TaskOutcome?> LookupAsync(string key)
    {
        if (_memory.TryGet(key, out var held))
        {
            Interlocked.Increment(ref _hits);
            return Hit(held.Output(), held.Truncated);
        }

        if (_store is not null)
        {
            try
            {
                if (await _store.GetCacheAsync(key).ConfigureAwait(false) is { } entry && _time.GetUtcNow() < entry.ExpiresAt)
                {
                    _memory.Set(key, CachedOutput.Create(entry.Output, entry.OutputTruncated, entry.CreatedAt, entry.ExpiresAt, _options.CompressAboveBytes));
                    Interlocked.Increment(ref _hits);
                    Interlocked.Increment(ref _storeHits);
                    return Hit(entry.Output, entry.OutputTruncated);
                }
            }
            catch (Exception ex)
            {
                StoreFailed("read", ex);
            }
        }

        Interlocked.Increment(ref _misses);
        return null;
    }

    /// <summary>Keeps a successful outcome's output under <paramref name="key"/> for <paramref name="ttl"/>.</summary>
    public void Remember(string key, in TaskOutcome outcome, TimeSpan ttl)
    {
        var now = _time.GetUtcNow();
        var expires = ttl >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + ttl;
        _memory.Set(key, CachedOutput.Create(outcome.Output, outcome.OutputTruncated, now, expires, _options.CompressAboveBytes));
        if (_store is not null)
        {
            Track(PutAsync(new CacheEntry(key, outcome.Output, outcome.OutputTruncated, now, expires)));
        }
    }

    public CacheStats Stats() => new()
    {
        Hits = Interlocked.Read(ref _hits),
        StoreHits = Interlocked.Read(ref _storeHits),
        Misses = Interlocked.Read(ref _misses),
        Evictions = _memory.Evictions,
        Expirations = _memory.Expirations,
        Entries = _memory.Count,
        Bytes = _memory.Bytes,
        StoreErrors = Interlocked.Read(ref _storeErrors),
    };

    /// <summary>Stops the purge timer and waits for background store writes, so a store closed after
    /// the engine has every entry (a restart then hits).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_purgeTimer is not null)
        {
            await _purgeTimer.DisposeAsync().ConfigureAwait(false);
        }

        Task[] pending;
        lock (_pendingGate)
        {
            pending = [.. _pending];
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    private static TaskOutcome Hit(string? output, bool truncated) =>
        TaskOutcome.Succeeded(output, truncated) with { FromCache = true };

    private async Task PutAsync(CacheEntry entry)
    {
        await Task.Yield(); // off the worker's path
        try
        {
            await _store!.PutCacheAsync(entry).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            StoreFailed("write", ex);
        }
    }

    private void PurgeExpired() => Track(PurgeAsync());

    private async Task PurgeAsync()
    {
        try
        {
            await _store!.PurgeCacheAsync(_time.GetUtcNow()).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            StoreFailed("purge", ex);
        }
    }

    private void StoreFailed(string doing, Exception ex)
    {
        Interlocked.Increment(ref _storeErrors);
        LastStoreError = $"cache {doing} failed: {ex.Message}";
    }

    private void Track(Task task)
    {
        if (task.IsCompleted)
        {
            return;
        }

        lock (_pendingGate)
        {
            _pending.Add(task);
        }

        task.ContinueWith(
            static (t, s) =>
            {
                var self = (ResultCache)s!;
                lock (self._pendingGate)
                {
                    self._pending.Remove(t);
                }
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
