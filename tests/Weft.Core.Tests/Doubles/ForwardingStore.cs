using Weft.Storage;

namespace Weft.Tests.Doubles;

/// <summary>A durable-looking store that hands every call to a <see cref="MemoryStore"/>. Test doubles
/// (a store that crashes, fails its writes or its cache) derive from it and override only what they change.</summary>
internal abstract class ForwardingStore(MemoryStore inner) : IWeftStore
{
    public MemoryStore Inner => inner;

    public bool IsDurable => true;

    public virtual ValueTask CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default) => inner.CreateRunAsync(run, cancellationToken);

    public virtual ValueTask WriteAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken = default) => inner.WriteAsync(changes, cancellationToken);

    public virtual ValueTask<RunSnapshot?> GetRunAsync(string runId, CancellationToken cancellationToken = default) => inner.GetRunAsync(runId, cancellationToken);

    public virtual ValueTask<StoredRun?> LoadRunAsync(string runId, CancellationToken cancellationToken = default) => inner.LoadRunAsync(runId, cancellationToken);

    public virtual ValueTask<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default) => inner.ListRunsAsync(query, cancellationToken);

    public virtual ValueTask<IReadOnlyList<string>> ListUnfinishedRunsAsync(CancellationToken cancellationToken = default) => inner.ListUnfinishedRunsAsync(cancellationToken);

    public virtual ValueTask<IReadOnlyDictionary<RunState, int>> CountRunsByStateAsync(CancellationToken cancellationToken = default) => inner.CountRunsByStateAsync(cancellationToken);

    public virtual ValueTask<string?> GetOutputAsync(string runId, string taskId, int? attempt = null, CancellationToken cancellationToken = default) =>
        inner.GetOutputAsync(runId, taskId, attempt, cancellationToken);

    public virtual ValueTask<int> PurgeAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken = default) => inner.PurgeAsync(finishedBefore, cancellationToken);

    public virtual ValueTask<CacheEntry?> GetCacheAsync(string key, CancellationToken cancellationToken = default) => inner.GetCacheAsync(key, cancellationToken);

    public virtual ValueTask PutCacheAsync(CacheEntry entry, CancellationToken cancellationToken = default) => inner.PutCacheAsync(entry, cancellationToken);

    public virtual ValueTask<int> PurgeCacheAsync(DateTimeOffset expiredBefore, CancellationToken cancellationToken = default) => inner.PurgeCacheAsync(expiredBefore, cancellationToken);

    public virtual ValueTask<RunOwner?> TakeRunAsync(string runId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil,
        string? replacing = null, CancellationToken cancellationToken = default) =>
        inner.TakeRunAsync(runId, owner, now, leaseUntil, replacing, cancellationToken);

    public virtual ValueTask<int> RenewRunsAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        inner.RenewRunsAsync(owner, leaseUntil, cancellationToken);

    public virtual ValueTask ReleaseRunsAsync(string owner, CancellationToken cancellationToken = default) => inner.ReleaseRunsAsync(owner, cancellationToken);

    public virtual ValueTask<TaskSignal> AddSignalAsync(TaskSignal signal, CancellationToken cancellationToken = default) => inner.AddSignalAsync(signal, cancellationToken);

    public virtual ValueTask<IReadOnlyList<TaskSignal>> PendingSignalsAsync(int limit = 1000, CancellationToken cancellationToken = default) =>
        inner.PendingSignalsAsync(limit, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
