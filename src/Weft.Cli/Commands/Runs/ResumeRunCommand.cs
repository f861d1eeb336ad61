using System.CommandLine;
using Weft.Cli.Remote;

namespace Weft.Cli.Commands.Runs;

/// <summary><c>weft runs resume ID [--json]</c>: continue a run a crash left unfinished.</summary>
internal static class ResumeRunCommand
{
    public static Command Create(CliIo io)
    {
        var id = new Argument<string>("ID") { Description = "The unfinished run (see `weft runs list --state running`)." };
        var store = RunsStore.CreateOption();
        var json = new Option<bool>("--json") { Description = "Print one JSON document describing the finished run (as `weft run --json`), and nothing else." };
        var assemblies = RunFollowing.CreateAssemblyOption();
        var command = new Command("resume", """
            Continue a run whose process stopped (a crash, a kill, a reboot) and wait for it to end.
            Tasks recorded as finished are not run again; a task that was running gets a new attempt,
            and its history says the earlier one was interrupted. A finished run is shown as it is.
            Do not resume a run that is still going in another process: both would run its tasks.
            Exit code as `weft run`: 0 succeeded, 1 failed or timed out, 2 invalid input, 130 cancelled.

            Examples:
              weft runs resume 0192f3c4…
              weft runs resume 0192f3c4… --json > result.json
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
            ? RemoteRuns.ResumeAsync(target, result.GetValue(id)!, result.GetValue(json), io, ct)
            : RunFollowing.ExecuteAsync(
            result.GetValue(id)!,
            result.GetValue(store),
            result.GetValue(json),
            result.GetValue(assemblies) ?? [],
            io,
            (engine, runId, token) => engine.ResumeAsync(runId, token),
            ct));
        return command;
    }
}
