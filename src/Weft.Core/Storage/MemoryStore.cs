using System.Collections.Concurrent;

namespace Weft.Storage;

/// <summary>The ephemeral store (<c>--store memory</c>): runs live as long as the process.</summary>
public sealed class MemoryStore : IWeftStore
{
    private readonly ConcurrentDictionary<string, RunSnapshot> _runs = new(StringComparer.Ordinal);

    public ValueTask CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        var tasks = run.Definition.Tasks.Select(t => new TaskSnapshot(t.Id, t.Kind, TaskState.Pending)).ToArray();
        _runs[run.RunId] = new RunSnapshot(run.RunId, run.Definition.Name, RunState.Pending)
        {
            SubmittedAt = run.SubmittedAt,
            Params = run.Params,
            Tasks = tasks,
        };
        return ValueTask.CompletedTask;
    }

    public ValueTask SaveRunsAsync(IReadOnlyList<RunSnapshot> runs, CancellationToken cancellationToken = default)
    {
        foreach (var run in runs)
        {
            _runs[run.RunId] = run;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<RunSnapshot?> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        new(_runs.TryGetValue(runId, out var run) ? run : null);

    public ValueTask<IReadOnlyList<RunSnapshot>> ListRunsAsync(int limit, CancellationToken cancellationToken = default) =>
        new(_runs.Values.OrderByDescending(r => r.SubmittedAt).ThenByDescending(r => r.RunId, StringComparer.Ordinal).Take(limit).ToList());

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
