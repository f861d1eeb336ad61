using System.CommandLine;
using Weft.Cli.Output;
using Weft.Storage;

namespace Weft.Cli.Commands.Runs;

/// <summary>The shared body of <c>weft runs retry</c> and <c>weft runs resume</c>: open an engine on
/// the store, start the run from the recorded one, and follow it as <c>weft run</c> does.</summary>
internal static class RunFollowing
{
    /// <summary><c>--assembly</c>: runs with <c>function:</c> tasks need their functions registered again.</summary>
    public static Option<string[]> CreateAssemblyOption() => new("--assembly")
    {
        Description = "A .NET assembly whose [WeftFunction] methods the run's function: tasks call; repeat for more.",
        HelpName = "path.dll",
    };

    public static async Task<int> ExecuteAsync(
        string runId,
        string? store,
        bool json,
        IReadOnlyList<string> assemblies,
        CliIo io,
        Func<WeftEngine, string, CancellationToken, ValueTask<RunHandle>> start,
        CancellationToken ct,
        bool resumeWhereHeld = false)
    {
        using var interrupt = InterruptSignal.Register(io.Error);
        var session = await RunsStore.OpenEngineAsync(store, runId, io.Error, ct).ConfigureAwait(false);
        if (session is null)
        {
            return ExitCodes.InvalidInput;
        }

        await using (session.ConfigureAwait(false))
        {
            var engine = session.Engine;
            if (!AssemblyLoader.TryRegisterAll(engine, assemblies, io.Error))
            {
                return ExitCodes.InvalidInput;
            }

            RunHandle handle;
            try
            {
                runId = await RunIdResolver.ResolveAsync(session.Store, runId, session.Choice.Describe(), ct).ConfigureAwait(false);
                await session.ReportUnfinishedAsync(io.Error, runId).ConfigureAwait(false);
                handle = await start(engine, runId, ct).ConfigureAwait(false);
            }
            catch (RunIdProblem problem)
            {
                return problem.Report(io.Error);
            }
            catch (WeftRunOwnedException ex)
            {
                if (resumeWhereHeld && (await session.Store.GetRunAsync(ex.RunId, ct).ConfigureAwait(false))?.State == RunState.Paused)
                {
                    // Paused in a live process: that process goes on with it (through the store).
                    return await RunControlThroughStore.SendAsync(store, ex.RunId, RunControl.Resume, io, ct).ConfigureAwait(false);
                }

                // Live in another process: running it here too would run its tasks twice.
                io.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.InvalidInput;
            }
            catch (WeftTaskRetryException ex)
            {
                io.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.InvalidInput;
            }
            catch (KeyNotFoundException)
            {
                io.Error.WriteLine($"error: no run with id '{runId}' in {session.Choice.Describe()}");
                return ExitCodes.InvalidInput;
            }
            catch (WeftStoreException ex)
            {
                io.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.InvalidInput;
            }

            if (engine.GetRun(handle.RunId) is null)
            {
                // A finished run that resume returned as it is: there is nothing to follow (and no
                // events to watch), only the recorded outcome to report.
                var final = (await RunMasks.ForAsync(engine.Store, handle.RunId, ct).ConfigureAwait(false)).Apply(await handle.WaitAsync().ConfigureAwait(false));
                if (json)
                {
                    io.Out.WriteLine(RunJson.ToJson(final));
                }
                else
                {
                    SummaryTable.Write(io.Ansi, final);
                }

                return ExitCodes.ForRun(final.State);
            }

            return await RunExecutor.FollowAndReportAsync(engine, handle, json, interrupt, io).ConfigureAwait(false);
        }
    }
}
