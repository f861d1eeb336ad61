using System.CommandLine;
using Weft.Cli.Remote;

namespace Weft.Cli.Commands.Runs;

/// <summary><c>weft runs resume ID [--json]</c>: continue a run a crash left unfinished.</summary>
internal static class ResumeRunCommand
{
    public static Command Create(CliIo io) => FollowingCommand.Create(
        "resume",
        "The unfinished run (see `weft runs list --state running`).",
        "Print one JSON document describing the finished run (as `weft run --json`), and nothing else.",
        """
            Continue a run whose process stopped (a crash, a kill, a reboot) and wait for it to end.
            A run paused (`weft runs pause ID`) in a process that still runs it goes on in that
            process: the resume is recorded in the store and taken there within about a second.
            Tasks recorded as finished are not run again; a task that was running gets a new attempt,
            and its history says the earlier one was interrupted. A finished run is shown as it is.
            Any other run still going in another process (its owner renews a lease on it) is refused
            with exit code 2 naming that process; it can be resumed once that process has stopped.
            Exit code as `weft run`: 0 succeeded, 1 failed or timed out, 2 invalid input, 130 cancelled.

            Examples:
              weft runs resume 0192f3c4…
              weft runs resume 0192f3c4… --json > result.json
            """,
        io,
        (engine, runId, ct) => engine.ResumeAsync(runId, ct),
        RemoteRuns.ResumeAsync,
        resumeWhereHeld: true);
}
