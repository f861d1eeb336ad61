using System.CommandLine;
using Weft.Cli.Remote;

namespace Weft.Cli.Commands.Runs;

/// <summary><c>weft runs retry ID [--task T]… [--json]</c>: a new run that reuses what succeeded.</summary>
internal static class RetryRunCommand
{
    public static Command Create(CliIo io)
    {
        var tasks = new Option<string[]>("--task")
        {
            Description = "Retry only this failed task of the finished run, and what depends on it; repeat for more.",
            HelpName = "TASK",
        };
        return FollowingCommand.Create(
            "retry",
            "The run to retry (see `weft runs list --state failed`).",
            "Print one JSON document describing the new run when it ends (as `weft run --json`), and nothing else.",
            """
                Start a new run of the same workflow and parameters as run ID and wait for it to end. Tasks
                that succeeded in run ID are not run again: they finish at once as `cached`, with their
                recorded output. The rest run. Exit code as `weft run`: 0 succeeded, 1 failed or timed out,
                2 invalid input, 130 cancelled.

                With --task (run ID must have finished): only that task (failed, timed out, upstream
                failed or cancelled) and the tasks downstream of it that did not succeed run again;
                every other task keeps what it had, so another failed task stays failed (and the new
                run fails) unless it is named too. A task that succeeded or is not in the run is
                refused (exit code 2) and nothing starts.

                Examples:
                  weft runs retry 0192f3c4…
                  weft runs retry 0192f3c4… --task load
                  weft runs retry 0192f3c4… --task load --task mail --json > result.json
                """,
            io,
            (engine, runId, result, ct) => result.GetValue(tasks) is { Length: > 0 } chosen
                ? engine.RetryTasksAsync(runId, chosen, ct)
                : engine.RetryAsync(runId, ct),
            (target, runId, json, result, io, ct) => RemoteRuns.RetryAsync(target, runId, result.GetValue(tasks) ?? [], json, io, ct),
            [tasks]);
    }
}
