using System.Text.Json;
using Weft.Definitions;
using Weft.Server.Runs;
using Weft.Storage;

namespace Weft.Server.Api;

/// <summary>Builds the API's views of runs: from the engine when it knows the run (live), else from the
/// store, with the run's secrets masked (<see cref="Secrets.SecretMasker"/>) in every parameter,
/// output and error before anything is serialized.</summary>
internal sealed class RunViews(WeftEngine engine, RunSecrets secrets)
{
    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static RunSummaryView Summary(RunSummary s) => new(s.RunId, s.Workflow, s.State.ToName(), s.SubmittedAt, s.StartedAt, s.FinishedAt, s.TriggeredBy, s.ParentRunId, s.ParentTaskId);

    /// <summary>The run as the engine (live) or the store has it; on a cluster, a task no worker has
    /// claimed yet shows as queued (<see cref="Cluster.QueuedTaskStates"/>).</summary>
    public async ValueTask<RunSnapshot?> SnapshotAsync(string runId, CancellationToken ct)
    {
        var run = engine.GetRun(runId) ?? await engine.Store.GetRunAsync(runId, ct).ConfigureAwait(false);
        return run is not null && engine.Store is Cluster.IClusterStore cluster
            ? await Cluster.QueuedTaskStates.ApplyAsync(cluster, run, ct).ConfigureAwait(false)
            : run;
    }

    public async ValueTask<RunView?> GetAsync(string runId, CancellationToken ct)
    {
        if (await SnapshotAsync(runId, ct).ConfigureAwait(false) is not { } unmasked)
        {
            return null;
        }

        var run = (await secrets.MaskerAsync(runId, ct).ConfigureAwait(false)).Apply(unmasked);
        var definition = (await engine.Store.LoadRunAsync(runId, ct).ConfigureAwait(false))?.Record.Definition;
        var levels = definition is null ? [] : Levels(definition);
        var deps = definition?.Tasks.ToDictionary(t => t.Id, t => t.DependsOn, StringComparer.Ordinal) ?? [];
        var tasks = run.Tasks.Select(t => new TaskView(t.TaskId, t.Kind, t.State.ToName(), levels.GetValueOrDefault(t.TaskId), deps.GetValueOrDefault(t.TaskId) ?? [],
            t.Attempts, t.StartedAt, t.FinishedAt, t.Output, t.OutputTruncated, t.Error, t.ExitCode, t.WaitReason, t.RetryDueAt,
            [.. t.AttemptHistory.Select(a => new AttemptView(a.Number, a.StartedAt, a.FinishedAt, a.Outcome is { } o ? Name(o) : null, a.ExitCode, a.HttpStatus,
                a.Error, a.Stderr, a.Worker))]));
        // Child runs cost one indexed query, and only for runs with workflow tasks; a live one shows the engine's state.
        IReadOnlyList<ChildRunView> children = definition?.Tasks.Any(t => t.Spec is ChildWorkflowSpec) == true
            ? [.. (await engine.Store.ListRunsAsync(new RunQuery { ParentRunId = runId, Limit = 1000 }, ct).ConfigureAwait(false))
                .OrderBy(c => c.SubmittedAt).Select(c => new ChildRunView(c.RunId, c.Workflow, (engine.GetRun(c.RunId)?.State ?? c.State).ToName(), c.ParentTaskId))]
            : [];
        return new RunView(run.RunId, run.Workflow, run.State.ToName(), run.SubmittedAt, run.StartedAt, run.FinishedAt,
            run.Duration is { } d ? (long)Math.Round(d.TotalMilliseconds) : null, run.Params, [.. tasks], run.TriggeredBy,
            run.ParentRunId, run.ParentTaskId, children);
    }

    public async ValueTask<EventView> EventAsync(RunEvent unmasked)
    {
        var e = (await secrets.MaskerAsync(unmasked.RunId).ConfigureAwait(false)).Apply(unmasked);
        return new(Name(e.Kind), e.RunId, e.At, e.TaskId, e.Attempt, e.RunState?.ToName(), e.Error, e.RetryDelay?.TotalMilliseconds);
    }

    public async ValueTask<string?> MaskAsync(string runId, string? text, CancellationToken ct = default) =>
        (await secrets.MaskerAsync(runId, ct).ConfigureAwait(false)).Apply(text);

    /// <summary>Longest-path level of every task, the columns the dashboard draws the DAG in.</summary>
    public static Dictionary<string, int> Levels(WorkflowDefinition definition)
    {
        var byId = definition.Tasks.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var levels = new Dictionary<string, int>(StringComparer.Ordinal);
        int LevelOf(string id, int depth)
        {
            if (levels.TryGetValue(id, out var known))
            {
                return known;
            }

            // A validated definition has no cycles; the depth guard only keeps a bad one from recursing forever.
            var level = depth > byId.Count || !byId.TryGetValue(id, out var task) || task.DependsOn.Count == 0
                ? 0
                : task.DependsOn.Max(d => LevelOf(d, depth + 1)) + 1;
            levels[id] = level;
            return level;
        }

        foreach (var task in definition.Tasks)
        {
            LevelOf(task.Id, 0);
        }

        return levels;
    }
}
