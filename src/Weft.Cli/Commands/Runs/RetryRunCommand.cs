using System.CommandLine;
using Weft.Cli.Remote;

namespace Weft.Cli.Commands.Runs;

/// <summary><c>weft runs retry ID [--json]</c>: a new run that reuses what succeeded.</summary>
internal static class RetryRunCommand
{
    public static Command Create(CliIo io)
    {
        var id = new Argument<string>("ID") { Description = "The run to retry (see `weft runs list --state failed`)." };
        var store = RunsStore.CreateOption();
        var json = new Option<bool>("--json") { Description = "Print one JSON document describing the new run when it ends (as `weft run --json`), and nothing else." };
        var assemblies = RunFollowing.CreateAssemblyOption();
        var command = new Command("retry", """
            Start a new run of the same workflow and parameters as run ID and wait for it to end. Tasks
            that succeeded in run ID are not run again: they finish at once as `cached`, with their
            recorded output. The rest run. Exit code as `weft run`: 0 succeeded, 1 failed or timed out,
            2 invalid input, 130 cancelled.

            Examples:
              weft runs retry 0192f3c4…
              weft runs retry 0192f3c4… --json > result.json
            """)
        {
            id,
            store,
            json,
            assemblies,
        };
        var remote = new RemoteOptions().AddTo(command, store);
        command.Validators.Add(r =>
        {
            if (r.GetValue(remote.Server) is not null && r.GetValue(assemblies) is { Length: > 0 })
            {
                r.AddError("--assembly cannot be used with --server: functions run on the server, so register them there");
            }
        });
        command.SetAction((result, ct) => remote.Target(result) is { } target
            ? RemoteRuns.RetryAsync(target, result.GetValue(id)!, result.GetValue(json), io, ct)
            : RunFollowing.ExecuteAsync(
            result.GetValue(id)!,
            result.GetValue(store),
            result.GetValue(json),
            result.GetValue(assemblies) ?? [],
            io,
            (engine, runId, token) => engine.RetryAsync(runId, token),
            ct));
        return command;
    }
}
