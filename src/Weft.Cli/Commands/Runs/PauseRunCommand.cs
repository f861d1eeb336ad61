using System.CommandLine;
using Weft.Cli.Remote;

namespace Weft.Cli.Commands.Runs;

/// <summary><c>weft runs pause ID --server URL</c>: a running run starts no new task until
/// <c>weft runs resume ID</c>; tasks already running finish.</summary>
internal static class PauseRunCommand
{
    public static Command Create(CliIo io)
    {
        var id = new Argument<string>("ID") { Description = "The running run (see `weft runs list --state running`)." };
        var store = RunsStore.CreateOption();
        var command = new Command("pause", """
            Pause a running run: the tasks already running finish, no new task starts, and the run is
            `paused` until `weft runs resume ID` continues it. A finished or already paused run cannot be
            paused (exit 2).

            With --store (the default) the pause is recorded in the store, and the process running the
            run (`weft run` on the same SQLite file, or a cluster's scheduler) pauses it within about a
            second; `weft runs resume ID` then lets it go on there. With --server URL the server pauses
            it at once. Waits (`wait:` tasks) keep counting while a run is paused.

            Examples:
              weft runs pause 0192f3c4…
              weft runs resume 0192f3c4…
              weft runs pause 0192f3c4… --server http://127.0.0.1:5080
            """)
        {
            id,
            store,
        };
        var remote = new RemoteOptions().AddTo(command, store);
        command.SetAction((result, ct) =>
        {
            if (remote.Target(result) is { } target)
            {
                return RemoteRuns.PauseAsync(target, result.GetValue(id)!, io, ct);
            }

            return RunControlThroughStore.SendAsync(result.GetValue(store), result.GetValue(id)!, RunControl.Pause, io, ct);
        });
        return command;
    }
}
