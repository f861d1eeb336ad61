namespace Weft;

/// <summary>What a <see cref="RunEvent"/> reports.</summary>
public enum RunEventKind
{
    /// <summary>The run was taken up and its first tasks are being queued.</summary>
    RunStarted,
    /// <summary>A task's upstream is done and it waits for a slot.</summary>
    TaskQueued,
    /// <summary>An attempt started on a slot or worker.</summary>
    TaskStarted,
    /// <summary>A task succeeded (or its output came from the cache).</summary>
    TaskSucceeded,
    /// <summary>A task failed for good (no attempts left or its failure is not retried).</summary>
    TaskFailed,
    /// <summary>An attempt failed and another will follow after <see cref="RunEvent.RetryDelay"/>.</summary>
    TaskRetrying,
    /// <summary>A task ran past its timeout for good.</summary>
    TaskTimedOut,
    /// <summary>A task was cancelled with its run.</summary>
    TaskCancelled,
    /// <summary>A task will not run: its trigger rule is not met.</summary>
    TaskSkipped,
    /// <summary>A task will not run because an upstream task failed.</summary>
    TaskUpstreamFailed,
    /// <summary>The run reached a final state (<see cref="RunEvent.RunState"/>); the last event of a run.</summary>
    RunFinished,
    /// <summary>The run was paused: no new task starts, running ones finish.</summary>
    RunPaused,
    /// <summary>A paused run goes on.</summary>
    RunResumed,

    /// <summary>A queued task waits on a pool, a circuit breaker or maxParallel, or a <c>wait:</c> task
    /// waits for its signal, time or condition; <c>Error</c> says why.</summary>
    TaskWaiting,
}

/// <summary>Something that happened in a run. Task events carry <see cref="TaskId"/> and
/// <see cref="Attempt"/>; <see cref="RunEventKind.RunFinished"/> carries the final <see cref="RunState"/>.</summary>
public sealed record RunEvent(RunEventKind Kind, string RunId, DateTimeOffset At)
{
    /// <summary>The task, for task events; null for run events.</summary>
    public string? TaskId { get; init; }
    /// <summary>The attempt number (1-based), for task events; 0 for run events.</summary>
    public int Attempt { get; init; }
    /// <summary>The final state, for <see cref="RunEventKind.RunFinished"/>; null otherwise.</summary>
    public RunState? RunState { get; init; }
    /// <summary>What went wrong, for failure events; null otherwise.</summary>
    public string? Error { get; init; }

    /// <summary>For <see cref="RunEventKind.TaskRetrying"/>: the wait before the next attempt.</summary>
    public TimeSpan? RetryDelay { get; init; }

    /// <summary>One line for logs: time, kind, run, and task, attempt and error when present.</summary>
    public override string ToString() => TaskId is null
        ? $"{At:O} {Kind} run={RunId}{(RunState is { } s ? " state=" + s.ToName() : "")}"
        : $"{At:O} {Kind} run={RunId} task={TaskId} attempt={Attempt}{(Error is null ? "" : " error=" + Error)}";
}
