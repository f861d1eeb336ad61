namespace Weft;

/// <summary>A signal was sent to a task that is not waiting (<see cref="WeftEngine.SignalAsync"/>).</summary>
public sealed class WeftTaskNotWaitingException : InvalidOperationException
{
    /// <summary>Creates the exception for a task found in <paramref name="state"/>.</summary>
    public WeftTaskNotWaitingException(string runId, string taskId, TaskState state)
        : base($"task '{taskId}' of run '{runId}' is {state.ToName()}, not waiting; only a waiting task takes a signal")
    {
        RunId = runId;
        TaskId = taskId;
        State = state;
    }

    /// <summary>A workflow task waiting for its child run: it ends with the child, not with a signal.</summary>
    internal static WeftTaskNotWaitingException ForChild(string runId, string taskId, string? reason) =>
        new(runId, taskId, TaskState.Waiting,
            $"task '{taskId}' of run '{runId}' runs a child workflow ({reason ?? "its child run"}) and ends with it, not with a signal; signal the child run's waiting task instead");

    private WeftTaskNotWaitingException(string runId, string taskId, TaskState state, string message)
        : base(message)
    {
        RunId = runId;
        TaskId = taskId;
        State = state;
    }

    /// <summary>The run.</summary>
    public string RunId { get; }

    /// <summary>The task.</summary>
    public string TaskId { get; }

    /// <summary>The state the task was in.</summary>
    public TaskState State { get; }
}
