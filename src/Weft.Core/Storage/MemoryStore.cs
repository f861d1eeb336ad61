using Weft.Execution;

namespace Weft.Storage;

/// <summary>The ephemeral store (<c>--store memory</c>, tests, benchmarks): runs live as long as the
/// process. Passes the same conformance suite as the durable stores.</summary>
public sealed partial class MemoryStore : IWeftStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, MemoryRun> _runs = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public bool IsDurable => false;

    /// <inheritdoc />
    public ValueTask CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_runs.ContainsKey(run.RunId))
            {
                throw new InvalidOperationException($"a run with id '{run.RunId}' already exists");
            }

            _runs[run.RunId] = new MemoryRun(run);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            foreach (var change in changes)
            {
                if (change.Kind == StoreChangeKind.SignalTaken)
                {
                    TakeSignal(change);
                }
                else if (_runs.TryGetValue(change.RunId, out var run))
                {
                    run.Apply(change);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<RunSnapshot?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return new(_runs.TryGetValue(runId, out var run) ? run.Snapshot() : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<StoredRun?> LoadRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return new(_runs.TryGetValue(runId, out var run) ? new StoredRun(run.Record, run.Snapshot(maskSecrets: false)) : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<RunSummary> list = _runs.Values
                .Where(r => query.Workflow is null || r.Record.Definition.Name == query.Workflow)
                .Where(r => query.State is null || r.State == query.State)
                .Where(r => query.Since is null || r.Record.SubmittedAt >= query.Since)
                .Where(r => query.Until is null || r.Record.SubmittedAt < query.Until)
                .Where(r => query.Text is null
                    || r.Record.RunId.Contains(query.Text, StringComparison.OrdinalIgnoreCase)
                    || r.Record.Definition.Name.Contains(query.Text, StringComparison.OrdinalIgnoreCase))
                .Where(r => query.IdPrefix is null || r.Record.RunId.StartsWith(query.IdPrefix, StringComparison.Ordinal))
                .Where(r => query.ParentRunId is null || r.Record.ParentRunId == query.ParentRunId)
                .OrderByDescending(r => r.Record.SubmittedAt)
                .ThenByDescending(r => r.Record.RunId, StringComparer.Ordinal)
                .Skip(query.Offset)
                .Take(query.Limit)
                .Select(r => r.Summary())
                .ToList();
            return new(list);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListUnfinishedRunsAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<string> ids = _runs.Values.Where(r => !r.State.IsFinal())
                .OrderBy(r => r.Record.SubmittedAt).Select(r => r.Record.RunId).ToList();
            return new(ids);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<RunState, int>> CountRunsByStateAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyDictionary<RunState, int> counts = _runs.Values.GroupBy(r => r.State).ToDictionary(g => g.Key, g => g.Count());
            return new(counts);
        }
    }

    /// <inheritdoc />
    public ValueTask<string?> GetOutputAsync(string runId, string taskId, int? attempt = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return new(_runs.TryGetValue(runId, out var run) ? run.OutputOf(taskId, attempt) : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<int> PurgeAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var old = _runs.Values.Where(r => r.State.IsFinal() && r.FinishedAt < finishedBefore).Select(r => r.Record.RunId).ToList();
            foreach (var id in old)
            {
                _runs.Remove(id);
            }

            return new(old.Count);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Keeps the state of a run an engine is running on this store (it journals nothing here),
    /// so listing and counting by state see it running or paused. The end comes with <see cref="SaveFinal"/>,
    /// together with the tasks' final states.</summary>
    internal void SaveState(string runId, RunState state, DateTimeOffset? startedAt)
    {
        if (state.IsFinal())
        {
            return;
        }

        lock (_gate)
        {
            if (_runs.TryGetValue(runId, out var run) && run.Final is null)
            {
                run.Apply(new StoreChange { Kind = StoreChangeKind.Run, RunId = runId, RunState = state, StartedAt = startedAt });
            }
        }
    }

    /// <summary>Keeps the final picture of a run that an engine ran on this store; cheaper than
    /// applying a change per task, which only a durable store needs.</summary>
    internal void SaveFinal(RunSnapshot snapshot)
    {
        lock (_gate)
        {
            if (_runs.TryGetValue(snapshot.RunId, out var run))
            {
                run.Final = snapshot;
            }
        }
    }
}
