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

    /// <summary>The run.</summary>
    public string RunId { get; }

    /// <summary>The task.</summary>
    public string TaskId { get; }

    /// <summary>The state the task was in.</summary>
    public TaskState State { get; }
}
