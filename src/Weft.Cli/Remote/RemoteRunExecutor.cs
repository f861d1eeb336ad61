using Weft.Cli.Commands;
using Weft.Cli.Output;

namespace Weft.Cli.Remote;

/// <summary><c>weft run FILE --server URL</c>: checks the file here (same errors as a local run),
/// submits it to the server, follows its event stream, then prints the same summary or <c>--json</c>
/// document and exits with the same codes as a local run. Ctrl+C cancels the run on the server.
/// <c>weft run NAME --server URL</c>, NAME not a file here, runs the workflow registered under NAME.</summary>
internal static class RemoteRunExecutor
{
    public static async Task<int> ExecuteAsync(RunRequest request, RemoteTarget target, CliIo io, CancellationToken ct)
    {
        if (request.Assemblies.Count > 0)
        {
            io.Error.WriteLine("error: --assembly cannot be used with --server: functions run on the server, so register them there");
            return ExitCodes.InvalidInput;
        }

        var parameters = ParameterParser.Parse(request.Parameters);
        if (!parameters.IsValid)
        {
            Write(io.Error, parameters.Errors.Select(e => $"error: {e}"));
            return ExitCodes.InvalidInput;
        }

        if (request.File is null)
        {
            io.Error.WriteLine("error: give a workflow FILE or the NAME of a workflow registered on the server (--resume is for runs in a local store)");
            return ExitCodes.InvalidInput;
        }

        // A file here is checked here; anything else names a workflow the server has registered.
        var isFile = File.Exists(request.File) || LooksLikePath(request.File);
        var loaded = isFile ? WorkflowFile.LoadOrReport(request.File, io.Error) : null;
        if (isFile && loaded is null)
        {
            return ExitCodes.InvalidInput;
        }

        using var interrupt = InterruptSignal.Register(io.Error);
        try
        {
            using var client = target.Connect();
            var submission = new RemoteSubmission(parameters.Values)
            {
                Definition = loaded is null ? null : await DefinitionTextAsync(request.File, loaded, ct).ConfigureAwait(false),
                FileName = isFile ? request.File : null,
                Workflow = isFile ? null : request.File,
                Priority = request.Priority,
                DedupKey = request.DedupKey,
                NotBefore = request.NotBefore,
            };
            var (runId, deduplicated) = await client.SubmitAsync(submission, ct).ConfigureAwait(false);
            if (deduplicated)
            {
                io.Error.WriteLine($"note: a run with dedup key '{request.DedupKey}' was already started: following run {runId}");
            }

            return await FollowAndReportAsync(client, runId, request.Json, interrupt, io, ct).ConfigureAwait(false);
        }
        catch (RemoteProblem problem) when (!isFile && problem.Status == 400 && problem.Errors.Any(e => e.StartsWith("no registered workflow", StringComparison.Ordinal)))
        {
            io.Error.WriteLine($"error: '{request.File}' is neither a workflow file here nor a workflow registered on {target.Server} " +
                "(see GET /api/workflows, or register it with weft server --workflows DIR)");
            return ExitCodes.InvalidInput;
        }
        catch (RemoteProblem problem)
        {
            Write(io.Error, problem.Errors.Count > 0 ? problem.Errors : [$"error: {problem.Message}"]);
            return problem.ExitCode;
        }
    }

    /// <summary>Follows a run on the server to its end (Ctrl+C cancels it there), prints the event
    /// lines and the summary or the <c>--json</c> document, and maps the outcome to the exit code.</summary>
    public static async Task<int> FollowAndReportAsync(WeftClient client, string runId, bool json, InterruptSignal interrupt, CliIo io, CancellationToken ct)
    {
        using var cancelOnInterrupt = interrupt.Token.Register(() => _ = CancelQuietlyAsync(client, runId));
        var lines = new EventLine(TimeZoneInfo.Local);
        await foreach (var e in client.WatchAsync(runId, ct).ConfigureAwait(false))
        {
            if (!json && lines.Format(e) is { } line)
            {
                io.Out.WriteLine(line);
            }
        }

        var final = await client.GetRunAsync(runId, ct).ConfigureAwait(false);
        Report(final, json, io);
        return ExitCodes.ForRun(final.State);
    }

    /// <summary>The summary table, or the <c>weft run --json</c> document.</summary>
    public static void Report(RunSnapshot final, bool json, CliIo io)
    {
        if (json)
        {
            io.Out.WriteLine(RunJson.ToJson(final));
        }
        else
        {
            SummaryTable.Write(io.Ansi, final);
        }
    }

    private static async Task CancelQuietlyAsync(WeftClient client, string runId)
    {
        try
        {
            await client.PostAsync($"api/runs/{Uri.EscapeDataString(runId)}/cancel", CancellationToken.None).ConfigureAwait(false);
        }
        catch (RemoteProblem)
        {
            // Already finished, or the server went away; the summary shows how the run ended.
        }
    }

    // "flows/etl.yaml" or "etl.json" that does not exist is a missing file, not a registered name
    // (registered names have no slashes; a name ending in .yaml would be an odd one to register).
    /// <summary>The file's text as the user wrote it (the server's errors then point into it), unless a task
    /// names a child workflow by path: the server cannot read files beside this one, so the definition goes
    /// in its stored JSON form, each such child's definition inside it (read and checked here).</summary>
    private static async Task<string> DefinitionTextAsync(string file, Weft.Definitions.WorkflowDefinition loaded, CancellationToken ct) =>
        loaded.Tasks.Any(t => t.Spec is Weft.Definitions.ChildWorkflowSpec { Definition: not null })
            ? Weft.Definitions.DefinitionJson.Write(loaded)
            : await File.ReadAllTextAsync(file, ct).ConfigureAwait(false);

    private static bool LooksLikePath(string text) =>
        text.Contains('/', StringComparison.Ordinal) || text.Contains('\\', StringComparison.Ordinal)
        || text.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || text.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
        || text.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    private static void Write(TextWriter writer, IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            writer.WriteLine(line);
        }
    }
}
