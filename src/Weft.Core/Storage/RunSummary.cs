namespace Weft.Storage;

/// <summary>One line of a run listing.</summary>
public sealed record RunSummary(string RunId, string Workflow, RunState State, DateTimeOffset SubmittedAt)
{
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
}
