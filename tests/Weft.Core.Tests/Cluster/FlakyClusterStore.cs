using System.Collections.Concurrent;
using Weft.Cluster;
using Weft.Definitions;
using Weft.Storage;

namespace Weft.Tests.Cluster;

/// <summary>A <see cref="MemoryClusterStore"/> that can be made to fail (as a restarting database
/// would) per operation, and counts the calls of each.</summary>
internal sealed class FlakyClusterStore(MemoryClusterStore inner) : IClusterStore
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);
    private volatile string[] _failing = [];

    public MemoryClusterStore Inner { get; } = inner;

    public bool IsDurable => Inner.IsDurable;

    /// <summary>From now on, the named operations throw (e.g. "Complete", "Claim", "Heartbeat").</summary>
    public void Fail(params string[] operations) => _failing = operations;

    public void Heal() => _failing = [];

    public int Calls(string operation) => _calls.GetValueOrDefault(operation);

    public int Failures(string operation) => _failures.GetValueOrDefault(operation);

    private void Enter(string operation)
    {
        _calls.AddOrUpdate(operation, 1, (_, n) => n + 1);
        if (_failing.Contains(operation))
        {
            _failures.AddOrUpdate(operation, 1, (_, n) => n + 1);
            throw new InvalidOperationException($"connection refused ({operation})");
        }
    }

    public ValueTask<ILeadership?> TryLeadAsync(CancellationToken cancellationToken = default) => Inner.TryLeadAsync(cancellationToken);

    public ValueTask<bool> WaitForSignalAsync(ClusterSignal signals, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Inner.WaitForSignalAsync(signals, timeout, cancellationToken);

    public ValueTask SignalAsync(ClusterSignal signal, CancellationToken cancellationToken = default) => Inner.SignalAsync(signal, cancellationToken);

    public ValueTask RegisterWorkerAsync(WorkerInfo worker, CancellationToken cancellationToken = default)
    {
        Enter("Register");
        return Inner.RegisterWorkerAsync(worker, cancellationToken);
    }

    public ValueTask<IReadOnlyList<long>> HeartbeatAsync(string worker, TimeSpan leaseFor, CancellationToken cancellationToken = default)
    {
        Enter("Heartbeat");
        return Inner.HeartbeatAsync(worker, leaseFor, cancellationToken);
    }

    public ValueTask UnregisterWorkerAsync(string worker, CancellationToken cancellationToken = default)
    {
        Enter("Unregister");
        return Inner.UnregisterWorkerAsync(worker, cancellationToken);
    }

    public ValueTask<IReadOnlyList<QueuedTask>> ClaimAsync(string worker, IReadOnlyList<string> queues, int max, TimeSpan leaseFor, CancellationToken cancellationToken = default)
    {
        Enter("Claim");
        return Inner.ClaimAsync(worker, queues, max, leaseFor, cancellationToken);
    }

    public ValueTask CompleteAsync(IReadOnlyList<TaskCompletion> completions, CancellationToken cancellationToken = default)
    {
        Enter("Complete");
        return Inner.CompleteAsync(completions, cancellationToken);
    }

    public ValueTask<WorkflowDefinition?> GetDefinitionAsync(string hash, CancellationToken cancellationToken = default)
    {
        Enter("GetDefinition");
        return Inner.GetDefinitionAsync(hash, cancellationToken);
    }

    public ValueTask<IReadOnlyList<TaskCompletion>> ReadCompletionsAsync(int max, CancellationToken cancellationToken = default) => Inner.ReadCompletionsAsync(max, cancellationToken);

    public ValueTask<IReadOnlyList<TaskCompletion>> ReadCompletionsExceptAsync(int max, IReadOnlyCollection<long> skip, CancellationToken cancellationToken) => Inner.ReadCompletionsExceptAsync(max, skip, cancellationToken);

    public ValueTask<IReadOnlyList<LostTask>> ReadLostTasksAsync(int max, CancellationToken cancellationToken = default) => Inner.ReadLostTasksAsync(max, cancellationToken);

    public ValueTask<IReadOnlyList<QueuedTask>> ListQueuedAsync(string runId, CancellationToken cancellationToken = default) => Inner.ListQueuedAsync(runId, cancellationToken);

    public ValueTask<IReadOnlyList<WorkerInfo>> ListWorkersAsync(CancellationToken cancellationToken = default) => Inner.ListWorkersAsync(cancellationToken);

    public ValueTask CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default) => Inner.CreateRunAsync(run, cancellationToken);

    /// <summary>Every batch the journal writer committed, in order (a copy: the writer reuses its list).</summary>
    public ConcurrentQueue<StoreChange[]> Writes { get; } = new();

    public ValueTask WriteAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken = default)
    {
        Writes.Enqueue([.. changes]);
        return Inner.WriteAsync(changes, cancellationToken);
    }

    public ValueTask<RunSnapshot?> GetRunAsync(string runId, CancellationToken cancellationToken = default) => Inner.GetRunAsync(runId, cancellationToken);

    public ValueTask<StoredRun?> LoadRunAsync(string runId, CancellationToken cancellationToken = default) => Inner.LoadRunAsync(runId, cancellationToken);

    public ValueTask<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default) => Inner.ListRunsAsync(query, cancellationToken);

    public ValueTask<IReadOnlyList<string>> ListUnfinishedRunsAsync(CancellationToken cancellationToken = default) => Inner.ListUnfinishedRunsAsync(cancellationToken);

    public ValueTask<IReadOnlyDictionary<RunState, int>> CountRunsByStateAsync(CancellationToken cancellationToken = default) => Inner.CountRunsByStateAsync(cancellationToken);

    public ValueTask<string?> GetOutputAsync(string runId, string taskId, int? attempt = null, CancellationToken cancellationToken = default) =>
        Inner.GetOutputAsync(runId, taskId, attempt, cancellationToken);

    public ValueTask<int> PurgeAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken = default) => Inner.PurgeAsync(finishedBefore, cancellationToken);

    public ValueTask<CacheEntry?> GetCacheAsync(string key, CancellationToken cancellationToken = default) => Inner.GetCacheAsync(key, cancellationToken);

    public ValueTask PutCacheAsync(CacheEntry entry, CancellationToken cancellationToken = default) => Inner.PutCacheAsync(entry, cancellationToken);

    public ValueTask<int> PurgeCacheAsync(DateTimeOffset expiredBefore, CancellationToken cancellationToken = default) => Inner.PurgeCacheAsync(expiredBefore, cancellationToken);

    public ValueTask<RunOwner?> TakeRunAsync(string runId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil,
        string? replacing = null, CancellationToken cancellationToken = default) =>
        Inner.TakeRunAsync(runId, owner, now, leaseUntil, replacing, cancellationToken);

    public ValueTask<int> RenewRunsAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        Inner.RenewRunsAsync(owner, leaseUntil, cancellationToken);

    public ValueTask ReleaseRunsAsync(string owner, CancellationToken cancellationToken = default) => Inner.ReleaseRunsAsync(owner, cancellationToken);

    public ValueTask<TaskSignal> AddSignalAsync(TaskSignal signal, CancellationToken cancellationToken = default) => Inner.AddSignalAsync(signal, cancellationToken);

    public ValueTask<IReadOnlyList<TaskSignal>> PendingSignalsAsync(int limit = 1000, CancellationToken cancellationToken = default) =>
        Inner.PendingSignalsAsync(limit, cancellationToken);

    public ValueTask DisposeAsync() => Inner.DisposeAsync();
}
