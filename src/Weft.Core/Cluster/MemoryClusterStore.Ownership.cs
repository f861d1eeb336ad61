using Weft.Storage;

namespace Weft.Cluster;

public sealed partial class MemoryClusterStore
{
    /// <inheritdoc />
    public ValueTask<RunOwner?> TakeRunAsync(string runId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil,
        string? replacing = null, CancellationToken cancellationToken = default) =>
        _data.Runs.TakeRunAsync(runId, owner, now, leaseUntil, replacing, cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> RenewRunsAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        _data.Runs.RenewRunsAsync(owner, leaseUntil, cancellationToken);

    /// <inheritdoc />
    public ValueTask ReleaseRunsAsync(string owner, CancellationToken cancellationToken = default) =>
        _data.Runs.ReleaseRunsAsync(owner, cancellationToken);

    /// <inheritdoc />
    public ValueTask<TaskSignal> AddSignalAsync(TaskSignal signal, CancellationToken cancellationToken = default) =>
        _data.Runs.AddSignalAsync(signal, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TaskSignal>> PendingSignalsAsync(int limit = 1000, CancellationToken cancellationToken = default) =>
        _data.Runs.PendingSignalsAsync(limit, cancellationToken);
}
