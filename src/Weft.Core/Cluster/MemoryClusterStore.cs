using Weft.Definitions;
using Weft.Storage;

namespace Weft.Cluster;

/// <summary>An in-process <see cref="IClusterStore"/>: runs kept by a <see cref="MemoryStore"/>, and the
/// queue, leases, workers, leadership and signals in memory, for embedding a cluster in one process and
/// for testing cluster mode without a database. Lease times come from the <see cref="TimeProvider"/>
/// given to the constructor (tests drive lease expiry with a fake clock). Thread-safe.
///
/// <para><see cref="IsDurable"/> is true although nothing outlives the process: a scheduler must
/// journal every task transition here, because the queue rows travel in the same batches.</para>
///
/// <para>Each handle is like one process's connection: <see cref="OpenPeer"/> opens another on the same
/// data, with its own signal listener and leadership; disposing a handle releases the leadership it
/// holds (firing <see cref="ILeadership.Lost"/>) and leaves the data to the others.</para></summary>
public sealed partial class MemoryClusterStore : IClusterStore
{
    private readonly MemoryClusterData _data;
    private bool _disposed;

    /// <summary>A new, empty store; <paramref name="timeProvider"/> (the system clock when null) times leases and heartbeats.</summary>
    public MemoryClusterStore(TimeProvider? timeProvider = null)
        : this(new MemoryClusterData(timeProvider ?? TimeProvider.System))
    {
    }

    private MemoryClusterStore(MemoryClusterData data)
    {
        _data = data;
        lock (_data.Gate)
        {
            _data.Handles.Add(this);
        }
    }

    /// <inheritdoc />
    public bool IsDurable => true;

    /// <summary>Another handle on the same data, as a second process would open it.</summary>
    public MemoryClusterStore OpenPeer() => new(_data);

    /// <inheritdoc />
    public async ValueTask CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var hash = DefinitionJson.Hash(run.Definition);
        lock (_data.Gate)
        {
            // MemoryStore completes synchronously; holding the gate keeps the run and its hash together.
            _data.Runs.CreateRunAsync(run, cancellationToken).GetAwaiter().GetResult();
            _data.RunHashes[run.RunId] = hash;
            _data.Definitions.TryAdd(hash, run.Definition);
        }

        await SignalAsync(ClusterSignal.RunSubmitted, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask WriteAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var raised = ClusterSignal.None;
        lock (_data.Gate)
        {
            // One transaction: check every queue change before applying any.
            foreach (var change in changes)
            {
                if (change.Kind == StoreChangeKind.Enqueue && !_data.RunHashes.ContainsKey(change.RunId))
                {
                    throw new InvalidOperationException($"cannot queue task '{change.TaskId}': run '{change.RunId}' is not recorded");
                }
            }

            var runChanges = new List<StoreChange>(changes.Count);
            foreach (var change in changes)
            {
                switch (change.Kind)
                {
                    case StoreChangeKind.Enqueue:
                        Enqueue(change);
                        raised |= ClusterSignal.TasksQueued;
                        break;
                    case StoreChangeKind.Dequeue:
                        _data.Queue.Remove(change.QueueId);
                        _data.Unclaimed.Remove(change.QueueId);
                        break;
                    case StoreChangeKind.CancelQueued:
                        foreach (var row in _data.Queue.Values.Where(r => r.RunId == change.RunId))
                        {
                            row.Cancelled = true;
                        }

                        break;
                    default:
                        if (change.Kind == StoreChangeKind.Run && change.RunState.IsFinal())
                        {
                            raised |= ClusterSignal.RunFinished;
                        }

                        runChanges.Add(change);
                        break;
                }
            }

            _data.Runs.WriteAsync(runChanges, cancellationToken).GetAwaiter().GetResult();
        }

        if (raised != ClusterSignal.None)
        {
            await SignalAsync(raised, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Enqueue(in StoreChange change)
    {
        _data.Queue[++_data.LastQueueId] = new MemoryQueueRow
        {
            Id = _data.LastQueueId,
            RunId = change.RunId,
            TaskId = change.TaskId ?? throw new InvalidOperationException($"an Enqueue change of run '{change.RunId}' has no TaskId"),
            Attempt = change.Attempt,
            Queue = change.Queue ?? "default",
            DefinitionHash = _data.RunHashes[change.RunId],
            Payload = change.Payload,
        };
        _data.Unclaimed.Add(_data.LastQueueId);
    }

    /// <inheritdoc />
    public ValueTask<RunSnapshot?> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        _data.Runs.GetRunAsync(runId, cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredRun?> LoadRunAsync(string runId, CancellationToken cancellationToken = default) =>
        _data.Runs.LoadRunAsync(runId, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default) =>
        _data.Runs.ListRunsAsync(query, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListUnfinishedRunsAsync(CancellationToken cancellationToken = default) =>
        _data.Runs.ListUnfinishedRunsAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<RunState, int>> CountRunsByStateAsync(CancellationToken cancellationToken = default) =>
        _data.Runs.CountRunsByStateAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<string?> GetOutputAsync(string runId, string taskId, int? attempt = null, CancellationToken cancellationToken = default) =>
        _data.Runs.GetOutputAsync(runId, taskId, attempt, cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> PurgeAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken = default) =>
        _data.Runs.PurgeAsync(finishedBefore, cancellationToken);

    /// <inheritdoc />
    public ValueTask<CacheEntry?> GetCacheAsync(string key, CancellationToken cancellationToken = default) =>
        _data.Runs.GetCacheAsync(key, cancellationToken);

    /// <inheritdoc />
    public ValueTask PutCacheAsync(CacheEntry entry, CancellationToken cancellationToken = default) =>
        _data.Runs.PutCacheAsync(entry, cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> PurgeCacheAsync(DateTimeOffset expiredBefore, CancellationToken cancellationToken = default) =>
        _data.Runs.PurgeCacheAsync(expiredBefore, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        MemoryLeadership? held;
        lock (_data.Gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _data.Handles.Remove(this);
            held = _data.Leader?.Handle == this ? _data.Leader : null;
        }

        CloseListener();
        if (held is not null)
        {
            await held.LoseAsync().ConfigureAwait(false);
        }
    }
}
