using Weft.Cli.Commands;
using Weft.Cli.Output;

namespace Weft.Cli.Remote;

/// <summary><c>weft run FILE --server URL</c>: checks the file here (same errors as a local run),
/// submits it to the server, follows its event stream, then prints the same summary or <c>--json</c>
/// document and exits with the same codes as a local run. Ctrl+C cancels the run on the server.</summary>
internal static class RemoteRunExecutor
{
    public static async Task<int> ExecuteAsync(RunRequest request, string server, CliIo io, CancellationToken ct)
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
            io.Error.WriteLine("error: give a workflow FILE to run on the server (--resume is for runs in a local store)");
            return ExitCodes.InvalidInput;
        }

        if (WorkflowFile.LoadOrReport(request.File, io.Error) is null)
        {
            return ExitCodes.InvalidInput;
        }

        using var interrupt = InterruptSignal.Register(io.Error);
        try
        {
            using var client = new WeftClient(server);
            var runId = await client.SubmitAsync(await File.ReadAllTextAsync(request.File, ct).ConfigureAwait(false), request.File, parameters.Values, ct).ConfigureAwait(false);
            return await FollowAndReportAsync(client, runId, request.Json, interrupt, io, ct).ConfigureAwait(false);
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

    private static void Write(TextWriter writer, IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            writer.WriteLine(line);
        }
    }
}
