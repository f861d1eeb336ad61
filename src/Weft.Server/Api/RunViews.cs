using System.Text.Json;
using Weft.Definitions;
using Weft.Server.Runs;
using Weft.Storage;

namespace Weft.Server.Api;

/// <summary>Builds the API's views of runs: from the engine when it knows the run (live), else from the
/// store, with secrets redacted from every output and error.</summary>
internal sealed class RunViews(WeftEngine engine, SecretRedactor redactor)
{
    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static RunSummaryView Summary(RunSummary s) => new(s.RunId, s.Workflow, s.State.ToName(), s.SubmittedAt, s.StartedAt, s.FinishedAt);

    public async ValueTask<RunSnapshot?> SnapshotAsync(string runId, CancellationToken ct) =>
        engine.GetRun(runId) ?? await engine.Store.GetRunAsync(runId, ct).ConfigureAwait(false);

    public async ValueTask<RunView?> GetAsync(string runId, CancellationToken ct)
    {
        if (await SnapshotAsync(runId, ct).ConfigureAwait(false) is not { } run)
        {
            return null;
        }

        var definition = (await engine.Store.LoadRunAsync(runId, ct).ConfigureAwait(false))?.Record.Definition;
        var levels = definition is null ? [] : Levels(definition);
        var deps = definition?.Tasks.ToDictionary(t => t.Id, t => t.DependsOn, StringComparer.Ordinal) ?? [];
        var tasks = new List<TaskView>(run.Tasks.Count);
        foreach (var t in run.Tasks)
        {
            var history = new List<AttemptView>(t.AttemptHistory.Count);
            foreach (var a in t.AttemptHistory)
            {
                history.Add(new AttemptView(a.Number, a.StartedAt, a.FinishedAt, a.Outcome is { } o ? Name(o) : null, a.ExitCode, a.HttpStatus,
                    await Redact(runId, a.Error), await Redact(runId, a.Stderr), a.Worker));
            }

            tasks.Add(new TaskView(t.TaskId, t.Kind, t.State.ToName(), levels.GetValueOrDefault(t.TaskId), deps.GetValueOrDefault(t.TaskId) ?? [],
                t.Attempts, t.StartedAt, t.FinishedAt, await Redact(runId, t.Output), t.OutputTruncated, await Redact(runId, t.Error), t.ExitCode,
                t.WaitReason, t.RetryDueAt, history));
        }

        return new RunView(run.RunId, run.Workflow, run.State.ToName(), run.SubmittedAt, run.StartedAt, run.FinishedAt,
            run.Duration is { } d ? (long)Math.Round(d.TotalMilliseconds) : null, run.Params, tasks);
    }

    public async ValueTask<EventView> EventAsync(RunEvent e) => new(
        Name(e.Kind), e.RunId, e.At, e.TaskId, e.Attempt, e.RunState?.ToName(), await Redact(e.RunId, e.Error), e.RetryDelay?.TotalMilliseconds);

    public ValueTask<string?> Redact(string runId, string? text) => redactor.RedactAsync(runId, text);

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
