namespace Weft.Cli;

/// <summary>The process exit codes of <c>weft</c>; they are a contract (DESIGN.md "Interfaces").</summary>
internal static class ExitCodes
{
    public const int Succeeded = 0;

    /// <summary>The workflow failed or timed out, or the CLI itself hit an unexpected error.</summary>
    public const int Failed = 1;

    /// <summary>Invalid input (a workflow file, a parameter, an option) or a usage error.</summary>
    public const int InvalidInput = 2;

    /// <summary>The run was cancelled, normally by Ctrl+C / SIGINT / SIGTERM (128 + SIGINT).</summary>
    public const int Cancelled = 130;

    /// <summary>The exit code for a run that ended in <paramref name="state"/>. A state that is not
    /// final (the run did not end) counts as a failure.</summary>
    public static int ForRun(RunState state) => state switch
    {
        RunState.Succeeded => Succeeded,
        RunState.Cancelled => Cancelled,
        _ => Failed,
    };
}
