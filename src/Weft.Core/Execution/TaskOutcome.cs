namespace Weft.Execution;

public enum TaskOutcomeStatus : byte
{
    Succeeded,
    Failed,
    TimedOut,
    Cancelled,

    /// <summary>The process running the attempt stopped before it reported (recorded on recovery;
    /// handlers never return it).</summary>
    Interrupted,
}

/// <summary>What one attempt produced. A value, not an exception.</summary>
public readonly struct TaskOutcome
{
    public static readonly TaskOutcome Success = new(TaskOutcomeStatus.Succeeded);

    public TaskOutcome(TaskOutcomeStatus status) => Status = status;

    public TaskOutcomeStatus Status { get; init; }

    /// <summary>Shell: stdout with the trailing newline trimmed; http: the body; function: JSON (a string as text).</summary>
    public string? Output { get; init; }

    /// <summary>True when <see cref="Output"/> was cut at the output limit.</summary>
    public bool OutputTruncated { get; init; }

    public string? Error { get; init; }

    public int? ExitCode { get; init; }

    public int? HttpStatus { get; init; }

    /// <summary>Standard error of a process, kept with the attempt (bounded like output).</summary>
    public string? Stderr { get; init; }

    /// <summary>True when the output came from the result cache and no handler ran; the task then
    /// finishes as <c>cached</c>.</summary>
    public bool FromCache { get; init; }

    public bool IsSuccess => Status == TaskOutcomeStatus.Succeeded;

    public static TaskOutcome Succeeded(string? output = null, bool truncated = false) =>
        new(TaskOutcomeStatus.Succeeded) { Output = output, OutputTruncated = truncated };

    public static TaskOutcome Failed(string error, int? exitCode = null, int? httpStatus = null) =>
        new(TaskOutcomeStatus.Failed) { Error = error, ExitCode = exitCode, HttpStatus = httpStatus };

    public static TaskOutcome TimedOut(string? error = null) =>
        new(TaskOutcomeStatus.TimedOut) { Error = error ?? "timed out" };

    public static TaskOutcome Cancelled(string? error = null) =>
        new(TaskOutcomeStatus.Cancelled) { Error = error ?? "cancelled" };
}
