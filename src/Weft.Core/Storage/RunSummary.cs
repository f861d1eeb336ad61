namespace Weft.Storage;

/// <summary>One line of a run listing.</summary>
public sealed record RunSummary(string RunId, string Workflow, RunState State, DateTimeOffset SubmittedAt)
{
    /// <summary>When its first task started; null before.</summary>
    public DateTimeOffset? StartedAt { get; init; }
    /// <summary>When it reached a final state; null before.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Who or what started the run (<see cref="RunRecord.TriggeredBy"/>); null when not recorded.</summary>
    public string? TriggeredBy { get; init; }

    /// <summary>For a child workflow's run (a <c>workflow:</c> task): the run that started it; null otherwise.</summary>
    public string? ParentRunId { get; init; }

    /// <summary>For a child workflow's run: the task of <see cref="ParentRunId"/> that started it; null otherwise.</summary>
    public string? ParentTaskId { get; init; }
}
