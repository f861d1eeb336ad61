namespace Weft.Storage;

/// <summary>The record of runs (DESIGN.md "Store"). The engine writes to it in batches and never
/// waits on it on the hot path, except that a submission returns only once its run is recorded.</summary>
public interface IWeftStore : IAsyncDisposable
{
    /// <summary>Records a new run; when this returns, the run is as durable as the store can make it.</summary>
    ValueTask CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default);

    /// <summary>Records the latest picture of runs that changed (group commit: many in one call).</summary>
    ValueTask SaveRunsAsync(IReadOnlyList<RunSnapshot> runs, CancellationToken cancellationToken = default);

    ValueTask<RunSnapshot?> GetRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Runs, newest first.</summary>
    ValueTask<IReadOnlyList<RunSnapshot>> ListRunsAsync(int limit, CancellationToken cancellationToken = default);
}
