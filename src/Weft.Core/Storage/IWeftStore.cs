namespace Weft.Storage;

/// <summary>The record of runs (DESIGN.md "Store"): definitions, runs, task instances, attempts,
/// outputs. One contract, one conformance suite, several implementations (memory, SQLite,
/// PostgreSQL). The engine writes changes in batches (<see cref="WriteAsync"/>: one transaction
/// per call) and waits on the store only where durability is promised: a submission returns once
/// its run is recorded, and a run is reported finished once its final state is recorded.</summary>
public interface IWeftStore : IAsyncDisposable
{
    /// <summary>True when runs outlive the process; the engine then records every task transition.</summary>
    bool IsDurable { get; }

    /// <summary>Records a new run (its definition stored by content hash) with all tasks pending.
    /// When this returns, the run is as durable as the store can make it.</summary>
    ValueTask CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default);

    /// <summary>Applies changes in order, all in one transaction (group commit). Changes are
    /// upserts of the latest state, so writing the same change twice is harmless.</summary>
    ValueTask WriteAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken = default);

    /// <summary>One run with its tasks and every attempt; null when unknown.</summary>
    ValueTask<RunSnapshot?> GetRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>What is needed to resume a run: its definition, parameters and recorded state.</summary>
    ValueTask<StoredRun?> LoadRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Runs matching the query, newest (by submission) first.</summary>
    ValueTask<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default);

    /// <summary>Ids of runs not in a final state (pending, running, paused), oldest first.</summary>
    ValueTask<IReadOnlyList<string>> ListUnfinishedRunsAsync(CancellationToken cancellationToken = default);

    /// <summary>Number of runs in each state.</summary>
    ValueTask<IReadOnlyDictionary<RunState, int>> CountRunsByStateAsync(CancellationToken cancellationToken = default);

    /// <summary>The full output of one attempt (the latest when <paramref name="attempt"/> is null);
    /// null when there is none.</summary>
    ValueTask<string?> GetOutputAsync(string runId, string taskId, int? attempt = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes final runs that finished before <paramref name="finishedBefore"/>; returns how many.</summary>
    ValueTask<int> PurgeAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken = default);

    /// <summary>The result cache entry under <paramref name="key"/>; null when there is none. An
    /// entry past its <see cref="CacheEntry.ExpiresAt"/> may still be returned until it is purged
    /// (stores have no clock): the caller compares it with its own.</summary>
    ValueTask<CacheEntry?> GetCacheAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces the result cache entry under its key (outputs at rest are
    /// compressed and encrypted like attempt outputs).</summary>
    ValueTask PutCacheAsync(CacheEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Deletes cache entries that expire at or before <paramref name="expiredBefore"/>; returns how many.</summary>
    ValueTask<int> PurgeCacheAsync(DateTimeOffset expiredBefore, CancellationToken cancellationToken = default);

    /// <summary>Makes <paramref name="owner"/> the run's owner until <paramref name="leaseUntil"/> when
    /// the run has no owner, is already <paramref name="owner"/>'s, its owner's lease ended at or before
    /// <paramref name="now"/>, or its owner is <paramref name="replacing"/> (one the caller knows is
    /// gone). Atomic: of two processes taking one run, one wins. Returns the run's owner afterwards
    /// (<paramref name="owner"/> when taken, else the one whose lease still runs); null when the store
    /// does not know the run. Stores have no clock: times come from the caller's.</summary>
    ValueTask<RunOwner?> TakeRunAsync(string runId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil,
        string? replacing = null, CancellationToken cancellationToken = default);

    /// <summary>Extends to <paramref name="leaseUntil"/> the lease of every unfinished run that
    /// <paramref name="owner"/> holds (one statement, whatever the number of runs); returns how many.
    /// A run records no owner once it is final.</summary>
    ValueTask<int> RenewRunsAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>Records a signal for a waiting task (<see cref="TaskSignal"/>) and returns it with its id.
    /// The scheduler of the run takes it (<see cref="PendingSignalsAsync"/>) and marks it taken
    /// (<see cref="StoreChangeKind.SignalTaken"/>) in the same transaction as its effect.</summary>
    ValueTask<TaskSignal> AddSignalAsync(TaskSignal signal, CancellationToken cancellationToken = default);

    /// <summary>Signals not yet taken, oldest first, at most <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<TaskSignal>> PendingSignalsAsync(int limit = 1000, CancellationToken cancellationToken = default);

    /// <summary>Gives up <paramref name="owner"/>'s runs (an engine stopping and leaving runs unfinished),
    /// so another process may take them up at once.</summary>
    ValueTask ReleaseRunsAsync(string owner, CancellationToken cancellationToken = default);
}
