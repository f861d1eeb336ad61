namespace Weft;

/// <summary>A retry of chosen tasks that cannot start: a task named is not in the run, or did not fail
/// there, or the run has not finished yet. Nothing was stored.</summary>
public sealed class WeftTaskRetryException(string runId, string? taskId, TaskState? taskState, string message)
    : Exception(message)
{
    /// <summary>The run asked to retry from.</summary>
    public string RunId { get; } = runId;

    /// <summary>The task refused; null when the run as a whole cannot be retried by task (it has not finished).</summary>
    public string? TaskId { get; } = taskId;

    /// <summary>The refused task's state in the run; null when the run has no such task (or <see cref="TaskId"/> is null).</summary>
    public TaskState? TaskState { get; } = taskState;
}
