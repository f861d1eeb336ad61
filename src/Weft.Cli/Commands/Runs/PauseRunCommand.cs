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

            Pausing needs the process that runs the run, so it works with --server URL (a Weft
            server's run). With --store only (a run going in `weft run` in another process), it is
            refused: that process would not hear of it; press Ctrl+C there, or run it on a server.

            Examples:
              weft runs pause 0192f3c4… --server http://127.0.0.1:5080
              weft runs resume 0192f3c4… --server http://127.0.0.1:5080
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

            io.Error.WriteLine("error: pausing a run needs the process that runs it: use --server URL (a run of `weft run` in another process cannot be paused through the store; press Ctrl+C there)");
            return Task.FromResult(ExitCodes.InvalidInput);
        });
        return command;
    }
}
