using Weft.Execution;

namespace Weft.Storage;

/// <summary>Which row a <see cref="StoreChange"/> writes.</summary>
public enum StoreChangeKind
{
    /// <summary>The run's state and times changed.</summary>
    Run,

    /// <summary>A task's row: state, attempt count, times, latest error and exit code, retry due time.</summary>
    Task,

    /// <summary>One attempt's row: started, and (once finished) outcome, output, error, stderr.</summary>
    Attempt,

    /// <summary>Cluster stores only: a queue row for one attempt (RunId, TaskId, Attempt, Queue, Payload),
    /// written in the same transaction as the task's <c>running</c> state. Other stores ignore it.</summary>
    Enqueue,

    /// <summary>Cluster stores only: deletes the queue row <see cref="StoreChange.QueueId"/> (its completion
    /// or loss has been taken into the task's state in the same transaction). Other stores ignore it.</summary>
    Dequeue,

    /// <summary>Cluster stores only: marks every queue row of RunId cancelled, so the workers holding
    /// them stop them at their next heartbeat. Other stores ignore it.</summary>
    CancelQueued,

    /// <summary>A recorded <see cref="TaskSignal"/> (<see cref="StoreChange.QueueId"/> is its id) was taken
    /// by the run's scheduler, in the same transaction as its effect on the task.</summary>
    SignalTaken,
}

/// <summary>One change for the store, as the latest full state of one row, so applying it twice is
/// harmless. A struct: the engine appends these to a journal on the hot path without allocating.</summary>
public readonly record struct StoreChange
{
    /// <summary>Which row this change writes.</summary>
    public required StoreChangeKind Kind { get; init; }

    /// <summary>The run the row belongs to.</summary>
    public required string RunId { get; init; }

    /// <summary>Task and Attempt changes only.</summary>
    public string? TaskId { get; init; }

    /// <summary>Run changes only: the run's state.</summary>
    public RunState RunState { get; init; }

    /// <summary>Task changes only: the task's state.</summary>
    public TaskState TaskState { get; init; }

    /// <summary>Task: attempts so far. Attempt: this attempt's number (1-based).</summary>
    public int Attempt { get; init; }

    /// <summary>When the run, task or attempt started; null before.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the run, task or attempt ended; null before.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Attempt only: null while the attempt runs.</summary>
    public TaskOutcomeStatus? Outcome { get; init; }

    /// <summary>Attempt only (the task's output is its latest attempt's).</summary>
    public string? Output { get; init; }

    /// <summary>Attempt only: <see cref="Output"/> was cut at the output limit.</summary>
    public bool OutputTruncated { get; init; }

    /// <summary>Task and Attempt: what went wrong; null for nothing.</summary>
    public string? Error { get; init; }

    /// <summary>Task and Attempt: a process's exit code; null when none.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Attempt only: the HTTP response status; null when none.</summary>
    public int? HttpStatus { get; init; }

    /// <summary>Attempt only: a process's standard error; null for none.</summary>
    public string? Stderr { get; init; }

    /// <summary>Attempt only: the cluster worker that ran it (null when the engine's own slots did).</summary>
    public string? Worker { get; init; }

    /// <summary>Task only: when a retrying task's next attempt is due.</summary>
    public DateTimeOffset? RetryDueAt { get; init; }

    /// <summary>Enqueue only: the queue the task is routed to.</summary>
    public string? Queue { get; init; }

    /// <summary>Enqueue only: the template values the task needs (<see cref="Cluster.TaskPayload"/>), or null.</summary>
    public string? Payload { get; init; }

    /// <summary>Dequeue: the queue row's id. SignalTaken: the signal's id.</summary>
    public long QueueId { get; init; }
}
