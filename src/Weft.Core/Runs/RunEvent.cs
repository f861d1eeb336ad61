namespace Weft;

public enum RunEventKind
{
    RunStarted,
    TaskQueued,
    TaskStarted,
    TaskSucceeded,
    TaskFailed,
    TaskRetrying,
    TaskTimedOut,
    TaskCancelled,
    TaskSkipped,
    TaskUpstreamFailed,
    RunFinished,
    RunPaused,
    RunResumed,

    /// <summary>A queued task waits on a pool, a circuit breaker or maxParallel; <c>Error</c> says why.</summary>
    TaskWaiting,
}

/// <summary>Something that happened in a run. Task events carry <see cref="TaskId"/> and
/// <see cref="Attempt"/>; <see cref="RunEventKind.RunFinished"/> carries the final <see cref="RunState"/>.</summary>
public sealed record RunEvent(RunEventKind Kind, string RunId, DateTimeOffset At)
{
    public string? TaskId { get; init; }
    public int Attempt { get; init; }
    public RunState? RunState { get; init; }
    public string? Error { get; init; }

    /// <summary>For <see cref="RunEventKind.TaskRetrying"/>: the wait before the next attempt.</summary>
    public TimeSpan? RetryDelay { get; init; }

    public override string ToString() => TaskId is null
        ? $"{At:O} {Kind} run={RunId}{(RunState is { } s ? " state=" + s.ToName() : "")}"
        : $"{At:O} {Kind} run={RunId} task={TaskId} attempt={Attempt}{(Error is null ? "" : " error=" + Error)}";
}
