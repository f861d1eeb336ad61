using System.CommandLine;
using Weft.Cli.Output;
using Weft.Cli.Remote;

namespace Weft.Cli.Commands.Runs;

/// <summary><c>weft runs output ID TASK [--attempt K] [--raw]</c>: the full output and nothing else on
/// stdout; control characters escaped (<see cref="TerminalText"/>) unless <c>--raw</c>.</summary>
internal static class RunOutputCommand
{
    public static Command Create(CliIo io)
    {
        var id = new Argument<string>("ID") { Description = "The run id (see `weft runs list`)." };
        var task = new Argument<string>("TASK") { Description = "The task id." };
        var attempt = new Option<int?>("--attempt") { Description = "Which attempt (1 is the first). Default: the latest.", HelpName = "K" };
        var raw = new Option<bool>("--raw")
        {
            Description = "Print the output byte for byte, control characters and terminal escape sequences included (for a file or a program, not a terminal); secret parameters stay masked.",
        };
        var store = RunsStore.CreateOption();
        var command = new Command("output", """
            Print the full output of one task of a run, and nothing else. (Tables and the JSON
            document show a preview; this is the whole text.) Control characters other than
            newline and tab are shown escaped (\x1b, \r) so output cannot drive the terminal;
            --raw prints what was recorded, secret parameters still masked.

            Examples:
              weft runs output 0192f3c4… extract
              weft runs output 0192f3c4… extract --attempt 1 --raw > first-try.txt
            """)
        {
            id,
            task,
            attempt,
            raw,
            store,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(attempt) is < 1 and var k)
            {
                r.AddError($"--attempt must be at least 1 (was {k})");
            }
        });
        var remote = new RemoteOptions().AddTo(command, store);
        command.SetAction((result, ct) => remote.Target(result) is { } target
            ? RemoteRuns.OutputAsync(target, result.GetValue(id)!, result.GetValue(task)!, result.GetValue(attempt), result.GetValue(raw), io, ct)
            : ExecuteAsync(result.GetValue(id)!, result.GetValue(task)!, result.GetValue(attempt), result.GetValue(raw), result.GetValue(store), io, ct));
        return command;
    }

    private static Task<int> ExecuteAsync(string given, string taskId, int? attempt, bool raw, string? storeName, CliIo io, CancellationToken ct)
    {
        return RunsStore.WithRunAsync(storeName, given, io, async (opened, run) =>
        {
            var runId = run.RunId;
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

            var output = await opened.Store.GetOutputAsync(runId, taskId, attempt, ct).ConfigureAwait(false);
            if (output is null)
            {
                io.Error.WriteLine(task.Attempts == 0
                    ? $"note: task '{taskId}' has not run ({task.State.ToName()}); it has no output"
                    : $"note: task '{taskId}' recorded no output");
                return ExitCodes.Succeeded;
            }

            // --raw keeps the bytes (no terminal escaping), not the secrets: those are masked as everywhere else.
            output = (await RunMasks.ForAsync(opened.Store, runId, ct).ConfigureAwait(false)).Apply(output)!;
            io.Out.Write(raw ? output : TerminalText.Clean(output));
            await io.Out.FlushAsync(ct).ConfigureAwait(false);
            return ExitCodes.Succeeded;
        }, ct);
    }
}
