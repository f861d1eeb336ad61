namespace Weft.Storage;

public sealed partial class MemoryStore
{
    private readonly List<TaskSignal> _signals = [];
    private readonly HashSet<long> _takenSignals = [];

    /// <inheritdoc />
    public ValueTask<TaskSignal> AddSignalAsync(TaskSignal signal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signal);
        lock (_gate)
        {
            var recorded = signal with { Id = _signals.Count + 1 };
            _signals.Add(recorded);
            return new(recorded);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TaskSignal>> PendingSignalsAsync(int limit = 1000, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return new([.. _signals.Where(s => !_takenSignals.Contains(s.Id)).Take(limit)]);
        }
    }

    // Under _gate, from WriteAsync.
    private void TakeSignal(in StoreChange change) => _takenSignals.Add(change.QueueId);
}
