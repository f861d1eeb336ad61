using Weft.Cli.Output;
using Weft.Storage;

namespace Weft.Cli.Commands;

/// <summary><c>weft run --dedup-key KEY</c> on a store that already holds the run started with KEY:
/// nothing new runs; the first run is reported as <c>weft runs show</c> would, and the exit code is
/// its outcome (0 while it has not finished).</summary>
internal static class DedupReport
{
    public static async Task<int> ExistingRunAsync(IWeftStore store, RunRequest request, CliIo io, CancellationToken ct)
    {
        var runId = RunRequest.RunIdForDedupKey(request.DedupKey!);
        if (await store.GetRunAsync(runId, ct).ConfigureAwait(false) is not { } recorded)
        {
            io.Error.WriteLine($"error: a run with dedup key '{request.DedupKey}' is being recorded by another process; try again");
            return ExitCodes.InvalidInput;
        }

        var run = (await RunMasks.ForAsync(store, runId, ct).ConfigureAwait(false)).Apply(recorded);
        io.Error.WriteLine(TerminalText.Clean($"note: run {runId} was already started with dedup key '{request.DedupKey}' ({run.State.ToName()}); nothing new was started"));
        if (request.Json)
        {
            io.Out.WriteLine(RunJson.ToJson(run));
        }
        else
        {
            SummaryTable.Write(io.Ansi, run);
        }

        return run.State.IsFinal() ? ExitCodes.ForRun(run.State) : ExitCodes.Succeeded;
    }
}
