using Weft.Definitions;
using Weft.Storage;

namespace Weft.Cluster;

/// <summary>A store that can also coordinate a cluster (DESIGN.md "Modes": PostgreSQL): the task queue
/// that worker processes claim from with leases, worker registration and heartbeats, leadership of
/// one scheduler at a time, and wake-up signals between processes.
///
/// <para>The queue's rows are written by the scheduler through <see cref="IWeftStore.WriteAsync"/>
/// (<see cref="StoreChangeKind.Enqueue"/>, <see cref="StoreChangeKind.Dequeue"/>,
/// <see cref="StoreChangeKind.CancelQueued"/>), in the same transaction as the task states they go with,
/// so a task is recorded <c>running</c> exactly while its queue row exists. A batch with an Enqueue
/// raises <see cref="ClusterSignal.TasksQueued"/> at commit; a batch recording a run final raises
/// <see cref="ClusterSignal.RunFinished"/>; <see cref="IWeftStore.CreateRunAsync"/> raises
/// <see cref="ClusterSignal.RunSubmitted"/>.</para>
///
/// <para>Lease times are the database's clock, not the caller's: processes' clocks may differ.</para></summary>
public interface IClusterStore : IWeftStore
{
    /// <summary>Tries once to become the leading scheduler (an advisory lock held on a connection of
    /// its own). Null when another process leads. The lease ends when the returned object is disposed,
    /// or when its connection breaks (then <see cref="ILeadership.Lost"/> fires).</summary>
    ValueTask<ILeadership?> TryLeadAsync(CancellationToken cancellationToken = default);

    /// <summary>Waits until one of <paramref name="signals"/> is raised by any process (LISTEN/NOTIFY;
    /// signals raised while nobody waited are coalesced into one) or <paramref name="timeout"/> passes.
    /// True when signalled. Never throws for a broken connection: it reconnects and returns false.</summary>
    ValueTask<bool> WaitForSignalAsync(ClusterSignal signals, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Raises a signal for every process waiting on it.</summary>
    ValueTask SignalAsync(ClusterSignal signal, CancellationToken cancellationToken = default);

    // ----- worker side -----

    /// <summary>Adds or refreshes the worker's row (name, host, pid, queues, tags, slots, heartbeat now).</summary>
    ValueTask RegisterWorkerAsync(WorkerInfo worker, CancellationToken cancellationToken = default);

    /// <summary>Renews the worker's heartbeat and the lease of every task it holds to now + <paramref name="leaseFor"/>.
    /// Returns the queue ids among its tasks whose run was cancelled (<see cref="StoreChangeKind.CancelQueued"/>),
    /// so the worker can stop them.</summary>
    ValueTask<IReadOnlyList<long>> HeartbeatAsync(string worker, TimeSpan leaseFor, CancellationToken cancellationToken = default);

    /// <summary>Marks the worker stopped (a clean exit; it holds no tasks any more).</summary>
    ValueTask UnregisterWorkerAsync(string worker, CancellationToken cancellationToken = default);

    /// <summary>Claims up to <paramref name="max"/> unclaimed tasks of the given queues, oldest first, in
    /// one statement (<c>FOR UPDATE SKIP LOCKED</c>), leasing them to <paramref name="worker"/> until now +
    /// <paramref name="leaseFor"/>. Two workers never hold the same row.</summary>
    ValueTask<IReadOnlyList<QueuedTask>> ClaimAsync(string worker, IReadOnlyList<string> queues, int max, TimeSpan leaseFor, CancellationToken cancellationToken = default);

    /// <summary>Hands claimed tasks that <paramref name="worker"/> has not started back to the queue, as if
    /// never claimed (same attempt), so another worker can take them. Returns the ids given back: a row
    /// the worker no longer holds, whose run was cancelled, or that has an outcome stays as it is. A
    /// store that cannot give back returns none, and the worker keeps its tasks.</summary>
    ValueTask<IReadOnlyList<long>> ReleaseAsync(string worker, IReadOnlyList<long> ids, CancellationToken cancellationToken = default) =>
        new([]);

    /// <summary>Records the outcomes of claimed tasks, all in one transaction, and raises
    /// <see cref="ClusterSignal.TasksCompleted"/>. A completion for a row the worker no longer holds
    /// (the scheduler took it back as lost) is ignored.</summary>
    ValueTask CompleteAsync(IReadOnlyList<TaskCompletion> completions, CancellationToken cancellationToken = default);

    /// <summary>The workflow definition stored under a content hash (as <see cref="QueuedTask.DefinitionHash"/>); null when unknown.</summary>
    ValueTask<WorkflowDefinition?> GetDefinitionAsync(string hash, CancellationToken cancellationToken = default);

    // ----- scheduler side -----

    /// <summary>Completed rows not yet dequeued, oldest completion first, at most <paramref name="max"/>.</summary>
    ValueTask<IReadOnlyList<TaskCompletion>> ReadCompletionsAsync(int max, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="ReadCompletionsAsync(int, CancellationToken)"/>, leaving out the rows
    /// <paramref name="skip"/> names: the scheduler's, taken in already and dequeued by a commit still in
    /// flight, so that it can read the outcomes that came meanwhile without waiting for that commit. A store
    /// that cannot leave them out in its read gets this default: it reads that many more and drops them.</summary>
    async ValueTask<IReadOnlyList<TaskCompletion>> ReadCompletionsExceptAsync(int max, IReadOnlyCollection<long> skip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(skip);
        var read = await ReadCompletionsAsync(max + skip.Count, cancellationToken).ConfigureAwait(false);
        if (skip.Count == 0)
        {
            return read;
        }

        var left = skip as IReadOnlySet<long> ?? new HashSet<long>(skip);
        return [.. read.Where(c => !left.Contains(c.Id)).Take(max)];
    }

    /// <summary>Claimed, not completed rows whose lease has expired (their worker stopped heartbeating).</summary>
    ValueTask<IReadOnlyList<LostTask>> ReadLostTasksAsync(int max, CancellationToken cancellationToken = default);

    /// <summary>Every queue row of one run (claimed or not, completed or not): what a new leader adopts.</summary>
    ValueTask<IReadOnlyList<QueuedTask>> ListQueuedAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Registered workers, alive or not, most recent heartbeat first.</summary>
    ValueTask<IReadOnlyList<WorkerInfo>> ListWorkersAsync(CancellationToken cancellationToken = default);
}

/// <summary>Held leadership of the cluster's scheduler.</summary>
public interface ILeadership : IAsyncDisposable
{
    /// <summary>Fires when the lock's connection broke (database restart, network): the holder must stop
    /// acting as leader at once and try to lead again.</summary>
    CancellationToken Lost { get; }
}
