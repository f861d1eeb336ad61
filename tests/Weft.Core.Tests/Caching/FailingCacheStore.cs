using Weft.Storage;

namespace Weft.Tests.Caching;

/// <summary>A durable-looking store over a <see cref="MemoryStore"/> whose cache reads and writes
/// always fail, to show that the engine counts such failures and carries on from memory.</summary>
internal sealed class FailingCacheStore(MemoryStore inner) : IWeftStore
{
    public bool IsDurable => true;

    public ValueTask CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default) => inner.CreateRunAsync(run, cancellationToken);

    public ValueTask WriteAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken = default) => inner.WriteAsync(changes, cancellationToken);

    public ValueTask<RunSnapshot?> GetRunAsync(string runId, CancellationToken cancellationToken = default) => inner.GetRunAsync(runId, cancellationToken);

    public ValueTask<StoredRun?> LoadRunAsync(string runId, CancellationToken cancellationToken = default) => inner.LoadRunAsync(runId, cancellationToken);

    public ValueTask<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default) => inner.ListRunsAsync(query, cancellationToken);

    public ValueTask<IReadOnlyList<string>> ListUnfinishedRunsAsync(CancellationToken cancellationToken = default) => inner.ListUnfinishedRunsAsync(cancellationToken);

    public ValueTask<IReadOnlyDictionary<RunState, int>> CountRunsByStateAsync(CancellationToken cancellationToken = default) => inner.CountRunsByStateAsync(cancellationToken);

    public ValueTask<string?> GetOutputAsync(string runId, string taskId, int? attempt = null, CancellationToken cancellationToken = default) =>
        inner.GetOutputAsync(runId, taskId, attempt, cancellationToken);

    public ValueTask<int> PurgeAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken = default) => inner.PurgeAsync(finishedBefore, cancellationToken);

    public ValueTask<CacheEntry?> GetCacheAsync(string key, CancellationToken cancellationToken = default) => throw new WeftStoreException("disk on fire");

    public ValueTask PutCacheAsync(CacheEntry entry, CancellationToken cancellationToken = default) => throw new WeftStoreException("disk on fire");

    public ValueTask<int> PurgeCacheAsync(DateTimeOffset expiredBefore, CancellationToken cancellationToken = default) => throw new WeftStoreException("disk on fire");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public ValueTask<RunOwner?> TakeRunAsync(string runId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil,
        string? replacing = null, CancellationToken cancellationToken = default) =>
        inner.TakeRunAsync(runId, owner, now, leaseUntil, replacing, cancellationToken);

    public ValueTask<int> RenewRunsAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        inner.RenewRunsAsync(owner, leaseUntil, cancellationToken);

    public ValueTask ReleaseRunsAsync(string owner, CancellationToken cancellationToken = default) => inner.ReleaseRunsAsync(owner, cancellationToken);
}
