using Weft.Execution;

namespace Weft;

/// <summary>A consistent picture of one run at one moment.</summary>
public sealed record RunSnapshot(string RunId, string Workflow, RunState State)
{
    /// <summary>When the run was submitted.</summary>
    public DateTimeOffset SubmittedAt { get; init; }
    /// <summary>When its first task started; null before.</summary>
    public DateTimeOffset? StartedAt { get; init; }
    /// <summary>When it reached a final state; null before.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Parameter values as resolved for the run; secret ones shown as <c>***</c>.</summary>
    public IReadOnlyDictionary<string, string> Params { get; init; } = new Dictionary<string, string>();

    /// <summary>Tasks in definition order.</summary>
    public IReadOnlyList<TaskSnapshot> Tasks { get; init; } = [];

    /// <summary>Who or what started the run (<see cref="Storage.RunRecord.TriggeredBy"/>); null when not recorded.</summary>
    public string? TriggeredBy { get; init; }

    /// <summary>For a child workflow's run (a <c>workflow:</c> task): the run that started it; null otherwise.</summary>
    public string? ParentRunId { get; init; }

    /// <summary>For a child workflow's run: the task of <see cref="ParentRunId"/> that started it; null otherwise.</summary>
    public string? ParentTaskId { get; init; }

    /// <summary>From start to finish; null until both are known.</summary>
    public TimeSpan? Duration => StartedAt is { } s && FinishedAt is { } f ? f - s : null;
}

/// <summary>One task of a run at one moment.</summary>
/// <param name="TaskId">The task's id within its workflow.</param>
/// <param name="Kind">Its kind key, e.g. <c>shell</c>.</param>
/// <param name="State">Its state.</param>
public sealed record TaskSnapshot(string TaskId, string Kind, TaskState State)
{
    /// <summary>Attempts started so far.</summary>
    public int Attempts { get; init; }
    /// <summary>When its first attempt started; null before.</summary>
    public DateTimeOffset? StartedAt { get; init; }
    /// <summary>When it reached a final state; null before.</summary>
    public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>The latest attempt's output; null for none.</summary>
    public string? Output { get; init; }
    /// <summary>True when <see cref="Output"/> was cut at the output limit.</summary>
    public bool OutputTruncated { get; init; }
    /// <summary>The latest attempt's error; null for none.</summary>
    public string? Error { get; init; }
    /// <summary>The latest attempt's exit code; null when no process ran.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Why a queued task is not running yet, when there is a reason worth showing.</summary>
    public string? WaitReason { get; init; }

    /// <summary>Every attempt, oldest first.</summary>
    public IReadOnlyList<AttemptSnapshot> AttemptHistory { get; init; } = [];

    /// <summary>For a retrying task: when its next attempt is due.</summary>
    public DateTimeOffset? RetryDueAt { get; init; }

    /// <summary>For an <c>upstream_failed</c> task: the (first) parent that did not succeed, as its
    /// error names it; null otherwise, and for runs recorded before errors named the parent.</summary>
    public string? UpstreamFailed => State == TaskState.UpstreamFailed ? Scheduling.UpstreamFailure.FirstParent(Error) : null;
}

/// <summary>One attempt: <see cref="Outcome"/> is null while it runs.</summary>
public sealed record AttemptSnapshot(int Number, DateTimeOffset StartedAt)
{
    /// <summary>When it ended; null while it runs.</summary>
    public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>How it ended; null while it runs.</summary>
    public TaskOutcomeStatus? Outcome { get; init; }
    /// <summary>A process's exit code; null when no process ran.</summary>
    public int? ExitCode { get; init; }
    /// <summary>The HTTP response status; null when no response came.</summary>
    public int? HttpStatus { get; init; }
    /// <summary>What went wrong; null on success.</summary>
    public string? Error { get; init; }
    /// <summary>A process's standard error (bounded like output); null for none.</summary>
    public string? Stderr { get; init; }

    /// <summary>The cluster worker that ran this attempt (<c>weft worker --name</c>); null when the
    /// engine's own slots ran it.</summary>
    public string? Worker { get; init; }
}
