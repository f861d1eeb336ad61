using System.CommandLine;
using Weft.Cli.Output;
using Weft.Cli.Remote;

namespace Weft.Cli.Commands.Runs;

/// <summary><c>weft runs show ID [--json]</c>.</summary>
internal static class ShowRunCommand
{
    public static Command Create(CliIo io)
    {
        var id = new Argument<string>("ID") { Description = "The run id (see `weft runs list`)." };
        var store = RunsStore.CreateOption();
        var json = new Option<bool>("--json") { Description = "Print the run's JSON document (the same one `weft run --json` prints), and nothing else." };
        var command = new Command("show", """
            Show one run: its tasks with state, attempts, duration, output preview and error, and every
            attempt of a task that ran more than once (with its outcome: failed, timed_out, interrupted…).

            Examples:
              weft runs show 0192f3c4…
              weft runs show 0192f3c4… --json > run.json
            """)
        {
            id,
            store,
            json,
        };
        var remote = new RemoteOptions().AddTo(command, store);
        command.SetAction((result, ct) => remote.Target(result) is { } target
            ? RemoteRuns.ShowAsync(target, result.GetValue(id)!, result.GetValue(json), io, ct)
            : ExecuteAsync(result.GetValue(id)!, result.GetValue(store), result.GetValue(json), io, ct));
        return command;
    }

    private static Task<int> ExecuteAsync(string runId, string? storeName, bool json, CliIo io, CancellationToken ct)
    {
        return RunsStore.WithRunAsync(storeName, runId, io, async (opened, run) =>
        {
            if (json)
            {
                io.Out.WriteLine(RunJson.ToJson(run));
            }
            else
            {
                // The child runs its workflow: tasks started, so a parent's page leads to them.
                var children = run.Tasks.Any(t => t.Kind == "workflow")
                    ? await opened.Store.ListRunsAsync(new Storage.RunQuery { ParentRunId = run.RunId, Limit = 1000 }, ct).ConfigureAwait(false)
                    : [];
                RunsStore.WidenWhenRedirected(io);
                RunDetails.Write(io.Ansi, run, TimeZoneInfo.Local, children);
            }

            return ExitCodes.Succeeded;
        }, ct);
    }
}
