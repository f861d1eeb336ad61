using System.CommandLine;
using Weft.Cli.Remote;

namespace Weft.Cli.Commands.Runs;

/// <summary><c>weft runs retry ID [--json]</c>: a new run that reuses what succeeded.</summary>
internal static class RetryRunCommand
{
    public static Command Create(CliIo io) => FollowingCommand.Create(
        "retry",
        "The run to retry (see `weft runs list --state failed`).",
        "Print one JSON document describing the new run when it ends (as `weft run --json`), and nothing else.",
        """
            Start a new run of the same workflow and parameters as run ID and wait for it to end. Tasks
            that succeeded in run ID are not run again: they finish at once as `cached`, with their
            recorded output. The rest run. Exit code as `weft run`: 0 succeeded, 1 failed or timed out,
            2 invalid input, 130 cancelled.

            Examples:
              weft runs retry 0192f3c4…
              weft runs retry 0192f3c4… --json > result.json
            """,
        io,
        (engine, runId, ct) => engine.RetryAsync(runId, ct),
        RemoteRuns.RetryAsync);
}
