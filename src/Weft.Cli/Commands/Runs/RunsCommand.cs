using System.CommandLine;
using Weft.Cli.Remote;

namespace Weft.Cli.Commands.Runs;

/// <summary><c>weft runs list|show|output|cancel|pause|signal|retry|resume|purge</c>: the history of runs kept
/// in a durable store, and the commands that act on recorded runs.</summary>
internal static class RunsCommand
{
    public static Command Create(CliIo io) => new("runs", """
        Look at and act on the runs recorded in the store (--store, else $WEFT_STORE, else .weft/weft.db),
        or, with --server URL, on a Weft server's runs through its API (all but purge).

        Examples:
          weft runs list --state failed --since 1d
          weft runs show 0192f3c4…
          weft runs retry 0192f3c4…
        """)
    {
        ListRunsCommand.Create(io),
        ShowRunCommand.Create(io),
        RunOutputCommand.Create(io),
        CancelRunCommand.Create(io),
        PauseRunCommand.Create(io),
        SignalRunCommand.Create(io),
        RetryRunCommand.Create(io),
        ResumeRunCommand.Create(io),
        PurgeRunsCommand.Create(io),
    };
}
