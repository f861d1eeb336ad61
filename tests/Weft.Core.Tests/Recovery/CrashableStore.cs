using Weft.Storage;

namespace Weft.Tests.Recovery;

/// <summary>A durable-looking store over a shared <see cref="MemoryStore"/> that can "crash": after
/// <see cref="Crash"/>, writes are dropped, as if the process had died. Raises a signal when a batch
/// matching a condition has been committed, so tests wait on the store, never on time.</summary>
internal sealed class CrashableStore(MemoryStore inner) : IWeftStore
{
    private readonly List<(Func<StoreChange, bool> Match, TaskCompletionSource Signal)> _waits = [];
    private readonly HashSet<string> _owners = [];
    private volatile bool _crashed;

    public bool IsDurable => true;

    public int Writes { get; private set; }

    /// <summary>The process "dies": its writes are dropped from now on. A dead process stops renewing
    /// the lease of its runs, which would end some seconds later; the crash ends it at once, so the
    /// engine that takes the runs up does not wait for the clock.</summary>
    public void Crash()
    {
        _crashed = true;
        string[] owners;
        lock (_owners)
        {
            owners = [.. _owners];
        }

        foreach (var owner in owners)
        {
            inner.ReleaseRunsAsync(owner).AsTask().GetAwaiter().GetResult();
        }
    }

    public Task WhenCommitted(Func<StoreChange, bool> match)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waits)
        {
            _waits.Add((match, tcs));
        }

        return tcs.Task;
    }

    public ValueTask CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        if (_crashed)
        {
            return ValueTask.CompletedTask;
        }

        Remember(run.Owner?.Name);
        return inner.CreateRunAsync(run, cancellationToken);
    }

    public ValueTask<RunOwner?> TakeRunAsync(string runId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil,
        string? replacing = null, CancellationToken cancellationToken = default)
    {
        Remember(owner);
        return inner.TakeRunAsync(runId, owner, now, leaseUntil, replacing, cancellationToken);
    }

    public ValueTask<int> RenewRunsAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        _crashed ? ValueTask.FromResult(0) : inner.RenewRunsAsync(owner, leaseUntil, cancellationToken);

    public ValueTask ReleaseRunsAsync(string owner, CancellationToken cancellationToken = default) =>
        _crashed ? ValueTask.CompletedTask : inner.ReleaseRunsAsync(owner, cancellationToken);

    private void Remember(string? owner)
    {
        if (owner is not null)
        {
            lock (_owners)
            {
                _owners.Add(owner);
            }
        }
    }

    public async ValueTask WriteAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken = default)
    {
        if (_crashed)
        {
            return;
        }

        await inner.WriteAsync(changes, cancellationToken);
        Writes++;
        lock (_waits)
        {
            foreach (var (match, signal) in _waits.Where(w => changes.Any(w.Match)).ToList())
            {
                signal.TrySetResult();
            }
        }
    }

    public ValueTask<RunSnapshot?> GetRunAsync(string runId, CancellationToken cancellationToken = default) => inner.GetRunAsync(runId, cancellationToken);

    public ValueTask<StoredRun?> LoadRunAsync(string runId, CancellationToken cancellationToken = default) => inner.LoadRunAsync(runId, cancellationToken);

    public ValueTask<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default) => inner.ListRunsAsync(query, cancellationToken);

    public ValueTask<IReadOnlyList<string>> ListUnfinishedRunsAsync(CancellationToken cancellationToken = default) => inner.ListUnfinishedRunsAsync(cancellationToken);

    public ValueTask<IReadOnlyDictionary<RunState, int>> CountRunsByStateAsync(CancellationToken cancellationToken = default) => inner.CountRunsByStateAsync(cancellationToken);

    public ValueTask<string?> GetOutputAsync(string runId, string taskId, int? attempt = null, CancellationToken cancellationToken = default) =>
        inner.GetOutputAsync(runId, taskId, attempt, cancellationToken);

    public ValueTask<int> PurgeAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken = default) => inner.PurgeAsync(finishedBefore, cancellationToken);

    public ValueTask<CacheEntry?> GetCacheAsync(string key, CancellationToken cancellationToken = default) => inner.GetCacheAsync(key, cancellationToken);

    public ValueTask PutCacheAsync(CacheEntry entry, CancellationToken cancellationToken = default) =>
        _crashed ? ValueTask.CompletedTask : inner.PutCacheAsync(entry, cancellationToken);

    public ValueTask<int> PurgeCacheAsync(DateTimeOffset expiredBefore, CancellationToken cancellationToken = default) =>
        _crashed ? ValueTask.FromResult(0) : inner.PurgeCacheAsync(expiredBefore, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
