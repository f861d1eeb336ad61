using Weft.Storage;

namespace Weft.Tests.Recovery;

/// <summary>A durable-looking store over a shared <see cref="MemoryStore"/> that can "crash": after
/// <see cref="Crash"/>, writes are dropped, as if the process had died. Raises a signal when a batch
/// matching a condition has been committed, so tests wait on the store, never on time.</summary>
internal sealed class CrashableStore(MemoryStore inner) : IWeftStore
{
    private readonly List<(Func<StoreChange, bool> Match, TaskCompletionSource Signal)> _waits = [];
    private volatile bool _crashed;

    public bool IsDurable => true;

    public int Writes { get; private set; }

    public void Crash() => _crashed = true;

    public Task WhenCommitted(Func<StoreChange, bool> match)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waits)
        {
            _waits.Add((match, tcs));
        }

        return tcs.Task;
    }

    public ValueTask CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default) =>
        _crashed ? ValueTask.CompletedTask : inner.CreateRunAsync(run, cancellationToken);

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
