namespace Weft.Execution;

/// <summary>How one attempt ended.</summary>
public enum TaskOutcomeStatus : byte
{
    /// <summary>The handler finished its work.</summary>
    Succeeded,
    /// <summary>The work failed; retried if the task's policy allows.</summary>
    Failed,
    /// <summary>The attempt ran past the task's timeout and was stopped.</summary>
    TimedOut,
    /// <summary>The run was cancelled while the attempt ran.</summary>
    Cancelled,

    /// <summary>The process running the attempt stopped before it reported (recorded on recovery;
    /// handlers never return it).</summary>
    Interrupted,
}

/// <summary>What one attempt produced. A value, not an exception.</summary>
public readonly struct TaskOutcome
{
    /// <summary>Success with no output (the noop outcome; no allocation).</summary>
    public static readonly TaskOutcome Success = new(TaskOutcomeStatus.Succeeded);

    /// <summary>An outcome of <paramref name="status"/> with no output or error; prefer the factory methods.</summary>
    public TaskOutcome(TaskOutcomeStatus status) => Status = status;

    /// <summary>How the attempt ended.</summary>
    public TaskOutcomeStatus Status { get; init; }

    /// <summary>Shell: stdout with the trailing newline trimmed; http: the body; function: JSON (a string as text).</summary>
    public string? Output { get; init; }

    /// <summary>True when <see cref="Output"/> was cut at the output limit.</summary>
    public bool OutputTruncated { get; init; }

    /// <summary>What went wrong, for people; null on success.</summary>
    public string? Error { get; init; }

    /// <summary>A process's exit code; null when no process ran.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The HTTP response status; null when no response came.</summary>
    public int? HttpStatus { get; init; }

    /// <summary>Standard error of a process, kept with the attempt (bounded like output).</summary>
    public string? Stderr { get; init; }

    /// <summary>True when the output came from the result cache and no handler ran; the task then
    /// finishes as <c>cached</c>.</summary>
    public bool FromCache { get; init; }

    /// <summary>True for <see cref="TaskOutcomeStatus.Succeeded"/>.</summary>
    public bool IsSuccess => Status == TaskOutcomeStatus.Succeeded;

    /// <summary>A success with <paramref name="output"/> (null for none); <paramref name="truncated"/> says it was cut at the output limit.</summary>
    public static TaskOutcome Succeeded(string? output = null, bool truncated = false) =>
        new(TaskOutcomeStatus.Succeeded) { Output = output, OutputTruncated = truncated };

    /// <summary>A failure with a message for people and, when known, the exit code or HTTP status (which <c>retryOn</c> conditions match).</summary>
    public static TaskOutcome Failed(string error, int? exitCode = null, int? httpStatus = null) =>
        new(TaskOutcomeStatus.Failed) { Error = error, ExitCode = exitCode, HttpStatus = httpStatus };

    /// <summary>A timeout; <paramref name="error"/> defaults to "timed out".</summary>
    public static TaskOutcome TimedOut(string? error = null) =>
        new(TaskOutcomeStatus.TimedOut) { Error = error ?? "timed out" };

    /// <summary>A cancellation; <paramref name="error"/> defaults to "cancelled".</summary>
    public static TaskOutcome Cancelled(string? error = null) =>
        new(TaskOutcomeStatus.Cancelled) { Error = error ?? "cancelled" };
}
