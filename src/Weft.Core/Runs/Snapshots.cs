using Weft.Execution;

namespace Weft;

/// <summary>A consistent picture of one run at one moment.</summary>
public sealed record RunSnapshot(string RunId, string Workflow, RunState State)
{
    public DateTimeOffset SubmittedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Parameter values as resolved for the run; secret ones shown as <c>***</c>.</summary>
    public IReadOnlyDictionary<string, string> Params { get; init; } = new Dictionary<string, string>();

    /// <summary>Tasks in definition order.</summary>
    public IReadOnlyList<TaskSnapshot> Tasks { get; init; } = [];

    public TimeSpan? Duration => StartedAt is { } s && FinishedAt is { } f ? f - s : null;
}

public sealed record TaskSnapshot(string TaskId, string Kind, TaskState State)
{
    public int Attempts { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? Output { get; init; }
    public bool OutputTruncated { get; init; }
    public string? Error { get; init; }
    public int? ExitCode { get; init; }

    /// <summary>Why a queued task is not running yet, when there is a reason worth showing.</summary>
    public string? WaitReason { get; init; }

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
    public DateTimeOffset? FinishedAt { get; init; }
    public TaskOutcomeStatus? Outcome { get; init; }
    public int? ExitCode { get; init; }
    public int? HttpStatus { get; init; }
    public string? Error { get; init; }
    public string? Stderr { get; init; }

    /// <summary>The cluster worker that ran this attempt (<c>weft worker --name</c>); null when the
    /// engine's own slots ran it.</summary>
    public string? Worker { get; init; }
}
