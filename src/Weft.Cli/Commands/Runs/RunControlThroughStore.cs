using Weft.Cli.Output;

namespace Weft.Cli.Commands.Runs;

/// <summary><c>weft runs pause</c> (and <c>resume</c> of a paused run another process holds) through
/// the store: the command is recorded for the process running the run, which applies it within about a
/// second (its signal inbox). A run in a state the command does not apply to is refused (exit 2).</summary>
internal static class RunControlThroughStore
{
    public static Task<int> SendAsync(string? store, string given, RunControl control, CliIo io, CancellationToken ct) =>
        RunsStore.WithRunAsync(store, given, io, async (opened, run) =>
        {
            var allowed = control == RunControl.Pause ? run.State is RunState.Running or RunState.Pending : run.State == RunState.Paused;
            if (!allowed)
            {
                io.Error.WriteLine(control == RunControl.Pause
                    ? $"error: run {run.RunId} is {run.State.ToName()}; only a running run can be paused"
                    : $"error: run {run.RunId} is {run.State.ToName()}; only a paused run can be resumed this way");
                return ExitCodes.InvalidInput;
            }

            var sent = await opened.Store.AddSignalAsync(TaskSignal.ForRun(run.RunId, control) with
            {
                Origin = CliOrigin.Name,
                SentAt = DateTimeOffset.UtcNow,
            }, ct).ConfigureAwait(false);
            io.Out.WriteLine(TerminalText.Clean(control == RunControl.Pause
                ? $"pausing run {run.RunId} ({run.Workflow}): the process running it pauses it within about a second (command {sent.Id}); running tasks finish, no new task starts; `weft runs resume {run.RunId}` continues it"
                : $"resuming run {run.RunId} ({run.Workflow}): the process running it goes on within about a second (command {sent.Id})"));
            return ExitCodes.Succeeded;
        }, ct);
}
