using Weft.Storage;

namespace Weft.Tests.Recovery;

/// <summary>A durable-looking store over a <see cref="MemoryStore"/> whose journal writes can be made to
/// throw (a full disk, a restarting database) or to wait at a gate (a commit still in flight). Only
/// <see cref="WriteAsync"/> is affected: it is the engine's reaction to it that the tests look at.</summary>
internal sealed class FailingWriteStore(MemoryStore inner) : IWeftStore
{
    private volatile Func<Exception>? _failure;
    private volatile TaskCompletionSource? _gate;
    private int _failures;

    public MemoryStore Inner => inner;

    public bool IsDurable => true;

    /// <summary>Journal writes that threw so far.</summary>
    public int Failures => Volatile.Read(ref _failures);

    /// <summary>From now on every journal write throws what <paramref name="failure"/> makes.</summary>
    public void FailWrites(Func<Exception> failure) => _failure = failure;

    public void Heal() => _failure = null;

    /// <summary>From now on journal writes wait until <see cref="Release"/>.</summary>
    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _gate?.TrySetResult();

    public async ValueTask WriteAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken = default)
    {
        if (_gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (_failure is { } fail)
        {
            Interlocked.Increment(ref _failures);
            throw fail();
        }

        await inner.WriteAsync(changes, cancellationToken);
    }

    public ValueTask CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default) => inner.CreateRunAsync(run, cancellationToken);

    public ValueTask<RunSnapshot?> GetRunAsync(string runId, CancellationToken cancellationToken = default) => inner.GetRunAsync(runId, cancellationToken);

    public ValueTask<StoredRun?> LoadRunAsync(string runId, CancellationToken cancellationToken = default) => inner.LoadRunAsync(runId, cancellationToken);

    public ValueTask<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default) => inner.ListRunsAsync(query, cancellationToken);

    public ValueTask<IReadOnlyList<string>> ListUnfinishedRunsAsync(CancellationToken cancellationToken = default) => inner.ListUnfinishedRunsAsync(cancellationToken);

    public ValueTask<IReadOnlyDictionary<RunState, int>> CountRunsByStateAsync(CancellationToken cancellationToken = default) => inner.CountRunsByStateAsync(cancellationToken);

    public ValueTask<string?> GetOutputAsync(string runId, string taskId, int? attempt = null, CancellationToken cancellationToken = default) =>
        inner.GetOutputAsync(runId, taskId, attempt, cancellationToken);

    public ValueTask<int> PurgeAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken = default) => inner.PurgeAsync(finishedBefore, cancellationToken);

    public ValueTask<CacheEntry?> GetCacheAsync(string key, CancellationToken cancellationToken = default) => inner.GetCacheAsync(key, cancellationToken);

    public ValueTask PutCacheAsync(CacheEntry entry, CancellationToken cancellationToken = default) => inner.PutCacheAsync(entry, cancellationToken);

    public ValueTask<int> PurgeCacheAsync(DateTimeOffset expiredBefore, CancellationToken cancellationToken = default) => inner.PurgeCacheAsync(expiredBefore, cancellationToken);

    public ValueTask<RunOwner?> TakeRunAsync(string runId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil,
        string? replacing = null, CancellationToken cancellationToken = default) =>
        inner.TakeRunAsync(runId, owner, now, leaseUntil, replacing, cancellationToken);

    public ValueTask<int> RenewRunsAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        inner.RenewRunsAsync(owner, leaseUntil, cancellationToken);

    public ValueTask ReleaseRunsAsync(string owner, CancellationToken cancellationToken = default) => inner.ReleaseRunsAsync(owner, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
