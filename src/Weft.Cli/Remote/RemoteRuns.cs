using System.Globalization;
using System.Text.Json;
using Weft.Cli.Commands;
using Weft.Cli.Commands.Runs;
using Weft.Cli.Output;
using Weft.Storage;

namespace Weft.Cli.Remote;

/// <summary>The <c>weft runs list|show|output|cancel|retry|resume --server URL</c> variants: the same
/// output and exit codes as on a local store, through the server's REST API. An unknown run, or an
/// action the run's state does not allow (404, 409, 400), is invalid input (exit 2); a server that
/// cannot be reached or fails is exit 1, as for <c>weft run --server</c>.</summary>
internal static class RemoteRuns
{
    /// <summary>The server's largest page (<c>limit</c> 1–500); bigger <c>--limit</c>s take several pages.</summary>
    private const int PageSize = 500;

    public static Task<int> ListAsync(RemoteTarget target, RunQuery query, bool json, CliIo io, CancellationToken ct) =>
        GuardAsync(target, null, io, async client =>
        {
            var runs = await ListRunsAsync(client, query, ct).ConfigureAwait(false);
            if (json)
            {
                io.Out.WriteLine(RunListJson.ToJson(runs));
            }
            else if (runs.Count == 0)
            {
                io.Out.WriteLine($"no runs on {target.Server} match");
            }
            else
            {
                RunsStore.WidenWhenRedirected(io);
                io.Ansi.Write(RunListTable.Build(runs, TimeZoneInfo.Local));
            }

            return ExitCodes.Succeeded;
        });

    public static Task<int> ShowAsync(RemoteTarget target, string given, bool json, CliIo io, CancellationToken ct) =>
        GuardRunAsync(target, given, io, ct, async (client, runId) =>
        {
            var run = await client.GetRunAsync(runId, ct).ConfigureAwait(false);
            if (json)
            {
                io.Out.WriteLine(RunJson.ToJson(run));
            }
            else
            {
                RunsStore.WidenWhenRedirected(io);
                RunDetails.Write(io.Ansi, run, TimeZoneInfo.Local);
            }

            return ExitCodes.Succeeded;
        });

    public static Task<int> OutputAsync(RemoteTarget target, string given, string taskId, int? attempt, bool raw, CliIo io, CancellationToken ct) =>
        GuardRunAsync(target, given, io, ct, async (client, runId) =>
        {
            var run = await client.GetRunAsync(runId, ct).ConfigureAwait(false);
            if (run.Tasks.FirstOrDefault(t => t.TaskId == taskId) is not { } task)
            {
                var names = run.Tasks.Take(10).Select(t => t.TaskId);
                io.Error.WriteLine($"error: run '{runId}' has no task '{taskId}'; its tasks: {string.Join(", ", names)}{(run.Tasks.Count > 10 ? ", …" : "")}");
                return ExitCodes.InvalidInput;
            }

            if (attempt > task.Attempts)
            {
                io.Error.WriteLine($"error: task '{taskId}' of run '{runId}' has {task.Attempts} attempt(s); there is no attempt {attempt}");
                return ExitCodes.InvalidInput;
            }

            var path = $"api/runs/{Uri.EscapeDataString(runId)}/tasks/{Uri.EscapeDataString(taskId)}/output"
                + (attempt is { } k ? string.Create(CultureInfo.InvariantCulture, $"?attempt={k}") : "");
            var answer = await client.GetAsync(path, ct).ConfigureAwait(false);
            if (!answer.TryGetProperty("output", out var output) || output.ValueKind != JsonValueKind.String)
            {
                io.Error.WriteLine(task.Attempts == 0
                    ? $"note: task '{taskId}' has not run ({task.State.ToName()}); it has no output"
                    : $"note: task '{taskId}' recorded no output");
                return ExitCodes.Succeeded;
            }

            var text = output.GetString();
            io.Out.Write(raw ? text : TerminalText.Clean(text));
            await io.Out.FlushAsync(ct).ConfigureAwait(false);
            return ExitCodes.Succeeded;
        });

    public static Task<int> CancelAsync(RemoteTarget target, string given, CliIo io, CancellationToken ct) =>
        GuardRunAsync(target, given, io, ct, async (client, runId) =>
        {
            var recorded = await client.GetRunAsync(runId, ct).ConfigureAwait(false);
            if (recorded.State.IsFinal())
            {
                io.Error.WriteLine($"error: run {runId} already finished ({recorded.State.ToName()})");
                return ExitCodes.InvalidInput;
            }

            await client.PostAsync($"api/runs/{Uri.EscapeDataString(runId)}/cancel", ct).ConfigureAwait(false);
            var final = await WaitAsync(client, runId, ct).ConfigureAwait(false);
            if (final.State != RunState.Cancelled)
            {
                io.Error.WriteLine($"error: run {runId} ended {final.State.ToName()} before it could be cancelled");
                return ExitCodes.ForRun(final.State);
            }

            var cancelledTasks = final.Tasks.Count(t => t.State == TaskState.Cancelled);
            io.Out.WriteLine(TerminalText.Clean($"cancelled run {runId} ({final.Workflow}): {cancelledTasks} task(s) cancelled"));
            return ExitCodes.Succeeded;
        });

    public static Task<int> PauseAsync(RemoteTarget target, string given, CliIo io, CancellationToken ct) =>
        GuardRunAsync(target, given, io, ct, async (client, runId) =>
        {
            var recorded = await client.GetRunAsync(runId, ct).ConfigureAwait(false);
            if (recorded.State != RunState.Running && recorded.State != RunState.Pending)
            {
                io.Error.WriteLine($"error: run {runId} is {recorded.State.ToName()}; only a running run can be paused");
                return ExitCodes.InvalidInput;
            }

            await client.PostAsync($"api/runs/{Uri.EscapeDataString(runId)}/pause", ct).ConfigureAwait(false);
            var running = recorded.Tasks.Count(t => t.State == TaskState.Running);
            io.Out.WriteLine(TerminalText.Clean($"paused run {runId} ({recorded.Workflow}): {running} running task(s) finish, no new task starts; `weft runs resume {runId}` continues it"));
            return ExitCodes.Succeeded;
        });

    public static async Task<int> RetryAsync(RemoteTarget target, string given, IReadOnlyList<string> tasks, bool json, CliIo io, CancellationToken ct)
    {
        using var interrupt = InterruptSignal.Register(io.Error);
        return await GuardRunAsync(target, given, io, ct, async (client, runId) =>
        {
            var path = $"api/runs/{Uri.EscapeDataString(runId)}/retry";
            var answer = tasks.Count == 0
                ? await client.PostAsync(path, ct).ConfigureAwait(false)
                : await client.PostAsync(path, new { tasks }, ct).ConfigureAwait(false);
            var newRunId = answer.GetProperty("runId").GetString()!;
            return await RemoteRunExecutor.FollowAndReportAsync(client, newRunId, json, interrupt, io, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>Resumes a paused (or interrupted) run and follows it; a finished run is shown as it is,
    /// as the local command does.</summary>
    public static async Task<int> ResumeAsync(RemoteTarget target, string given, bool json, CliIo io, CancellationToken ct)
    {
        using var interrupt = InterruptSignal.Register(io.Error);
        return await GuardRunAsync(target, given, io, ct, async (client, runId) =>
        {
            var recorded = await client.GetRunAsync(runId, ct).ConfigureAwait(false);
            if (recorded.State.IsFinal())
            {
                RemoteRunExecutor.Report(recorded, json, io);
                return ExitCodes.ForRun(recorded.State);
            }

            if (recorded.State == RunState.Paused)
            {
                await client.PostAsync($"api/runs/{Uri.EscapeDataString(runId)}/resume", ct).ConfigureAwait(false);
            }

            // Running or pending: already going on the server, so resuming it is following it.
            return await RemoteRunExecutor.FollowAndReportAsync(client, runId, json, interrupt, io, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>The runs the query asks for, newest first, over as many pages as <c>Limit</c> needs.</summary>
    public static async Task<List<RunSummary>> ListRunsAsync(WeftClient client, RunQuery query, CancellationToken ct)
    {
        var runs = new List<RunSummary>();
        var wanted = query.Limit;
        while (runs.Count < wanted)
        {
            var take = Math.Min(PageSize, wanted - runs.Count);
            var path = string.Create(CultureInfo.InvariantCulture, $"api/runs?limit={take}&offset={query.Offset + runs.Count}")
                + Param("workflow", query.Workflow)
                + Param("state", query.State?.ToName())
                + Param("since", query.Since?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture))
                + Param("until", query.Until?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            var page = await client.GetAsync(path, ct).ConfigureAwait(false);
            runs.AddRange(page.GetProperty("items").EnumerateArray().Select(ToSummary));
            if (!page.GetProperty("hasMore").GetBoolean())
            {
                break;
            }
        }

        return runs;
    }

    private static RunSummary ToSummary(JsonElement item)
    {
        StateNames.TryParseRun(item.GetProperty("state").GetString()!, out var state);
        return new RunSummary(item.GetProperty("runId").GetString()!, item.GetProperty("workflow").GetString()!, state, item.GetProperty("submittedAt").GetDateTimeOffset())
        {
            StartedAt = item.TryGetProperty("startedAt", out var s) && s.ValueKind == JsonValueKind.String ? s.GetDateTimeOffset() : null,
            FinishedAt = item.TryGetProperty("finishedAt", out var f) && f.ValueKind == JsonValueKind.String ? f.GetDateTimeOffset() : null,
            TriggeredBy = item.TryGetProperty("triggeredBy", out var by) && by.ValueKind == JsonValueKind.String ? by.GetString() : null,
        };
    }

    private static string Param(string name, string? value) => value is null ? "" : $"&{name}={Uri.EscapeDataString(value)}";

    // The run's end, from its event stream (which replays the past and ends after run_finished).
    private static async Task<RunSnapshot> WaitAsync(WeftClient client, string runId, CancellationToken ct)
    {
        await foreach (var _ in client.WatchAsync(runId, ct).ConfigureAwait(false))
        {
        }

        return await client.GetRunAsync(runId, ct).ConfigureAwait(false);
    }

    /// <summary>Like <see cref="GuardAsync"/> for a command on one run: <paramref name="given"/> (the id,
    /// or a unique prefix of it) is resolved to the run's full id first, which the body gets.</summary>
    public static Task<int> GuardRunAsync(RemoteTarget target, string given, CliIo io, CancellationToken ct, Func<WeftClient, string, Task<int>> body) =>
        GuardAsync(target, given, io, async client =>
        {
            string runId;
            try
            {
                runId = await ResolveAsync(client, target, given, ct).ConfigureAwait(false);
            }
            catch (RunIdProblem problem)
            {
                return problem.Report(io.Error);
            }

            return await body(client, runId).ConfigureAwait(false);
        });

    private static Task<string> ResolveAsync(WeftClient client, RemoteTarget target, string given, CancellationToken ct) =>
        RunIdResolver.ResolveAsync(
            given,
            async id =>
            {
                try
                {
                    await client.GetAsync($"api/runs/{Uri.EscapeDataString(id)}", ct).ConfigureAwait(false);
                    return true;
                }
                catch (RemoteProblem problem) when (problem.Status == 404)
                {
                    return false;
                }
            },
            async (prefix, count) =>
            {
                var page = await client.GetAsync(string.Create(CultureInfo.InvariantCulture, $"api/runs?limit={count}") + Param("idPrefix", prefix), ct).ConfigureAwait(false);
                return [.. page.GetProperty("items").EnumerateArray().Select(ToSummary)];
            },
            "on " + target.Server);

    /// <summary>Runs a remote command body, turning the server's refusals into the local command's
    /// messages and exit codes.</summary>
    public static async Task<int> GuardAsync(RemoteTarget target, string? runId, CliIo io, Func<WeftClient, Task<int>> body)
    {
        try
        {
            using var client = target.Connect();
            return await body(client).ConfigureAwait(false);
        }
        catch (RemoteProblem problem) when (problem.Status == 404 && runId is not null && problem.Message.StartsWith("no run with id", StringComparison.Ordinal))
        {
            io.Error.WriteLine($"error: no run with id '{runId}' on {target.Server}");
            return ExitCodes.InvalidInput;
        }
        catch (RemoteProblem problem)
        {
            foreach (var line in problem.Errors.Count > 0 ? problem.Errors : [$"error: {problem.Message}"])
            {
                io.Error.WriteLine(line);
            }

            return problem.Status is 400 or 404 or 409 ? ExitCodes.InvalidInput : problem.ExitCode;
        }
    }
}
