using System.CommandLine;
using Weft.Cli.Output;
using Weft.Storage;
using Weft.Cli.Remote;

namespace Weft.Cli.Commands.Runs;

/// <summary><c>weft runs cancel ID</c>: record an unfinished run as cancelled.</summary>
internal static class CancelRunCommand
{
    public static Command Create(CliIo io)
    {
        var id = new Argument<string>("ID") { Description = "The unfinished run (see `weft runs list --state running`)." };
        var store = RunsStore.CreateOption();
        var command = new Command("cancel", """
            Cancel a run that is recorded as unfinished because its process stopped (a crash, a kill):
            the store then records the run cancelled and its waiting tasks cancelled, so it is no longer
            offered for `weft runs resume`. A finished run cannot be cancelled (exit 2).

            With --store this works through the store only: a run still going in ANOTHER process
            cannot be cancelled this way (press Ctrl+C there): the other process would go on running
            it. The run is restored and cancelled in one step, so none of its tasks starts again.
            With --server URL the server cancels the run, running or not (exit 2 if it has finished).

            Examples:
              weft runs cancel 0192f3c4…
              weft runs cancel 0192f3c4… --store sqlite:/var/lib/weft/weft.db
              weft runs cancel 0192f3c4… --server http://127.0.0.1:5080
            """)
        {
            id,
            store,
        };
        var remote = new RemoteOptions().AddTo(command, store);
        command.SetAction((result, ct) => remote.Target(result) is { } target
            ? RemoteRuns.CancelAsync(target, result.GetValue(id)!, io, ct)
            : ExecuteAsync(result.GetValue(id)!, result.GetValue(store), io, ct));
        return command;
    }

    private static async Task<int> ExecuteAsync(string runId, string? storeName, CliIo io, CancellationToken ct)
    {
        var session = await RunsStore.OpenEngineAsync(storeName, runId, io.Error, ct).ConfigureAwait(false);
        if (session is null)
        {
            return ExitCodes.InvalidInput;
        }

        await using (session.ConfigureAwait(false))
        {
            var name = session.Choice.Describe();
            try
            {
                runId = await RunIdResolver.ResolveAsync(session.Store, runId, name, ct).ConfigureAwait(false);
                if (await session.Store.GetRunAsync(runId, ct).ConfigureAwait(false) is not { } recorded)
                {
                    io.Error.WriteLine($"error: no run with id '{runId}' in {name}");
                    return ExitCodes.InvalidInput;
                }

                if (recorded.State.IsFinal())
                {
                    io.Error.WriteLine($"error: run {runId} already finished ({recorded.State.ToName()})");
                    return ExitCodes.InvalidInput;
                }

                var engine = session.Engine;
                var handle = await engine.CancelStoredAsync(runId, ct).ConfigureAwait(false);
                var final = await handle.WaitAsync(ct).ConfigureAwait(false);
                if (final.State != RunState.Cancelled)
                {
                    io.Error.WriteLine($"error: run {runId} ended {final.State.ToName()} before it could be cancelled");
                    return ExitCodes.ForRun(final.State);
                }

                var cancelledTasks = final.Tasks.Count(t => t.State == TaskState.Cancelled);
                io.Out.WriteLine(TerminalText.Clean($"cancelled run {runId} ({final.Workflow}): {cancelledTasks} task(s) cancelled"));
                return ExitCodes.Succeeded;
            }
            catch (RunIdProblem problem)
            {
                return problem.Report(io.Error);
            }
            catch (WeftRunOwnedException ex)
            {
                // Live in another process: running it here too would run its tasks twice.
                io.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.InvalidInput;
            }
            catch (KeyNotFoundException)
            {
                io.Error.WriteLine($"error: no run with id '{runId}' in {name}");
                return ExitCodes.InvalidInput;
            }
            catch (WeftStoreException ex)
            {
                io.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.InvalidInput;
            }
        }
    }
}
