namespace Weft.Storage;

/// <summary>Filters for listing runs; every filter is optional. Results come newest first.</summary>
public sealed record RunQuery
{
    /// <summary>Only runs of this workflow; null for all.</summary>
    public string? Workflow { get; init; }
    /// <summary>Only runs in this state; null for all.</summary>
    public RunState? State { get; init; }

    /// <summary>Runs submitted at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Runs submitted before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Case-insensitive text matched against run id and workflow name.</summary>
    public string? Text { get; init; }

    /// <summary>Runs whose id starts with this text (case-sensitive): how a shortened id is found.</summary>
    public string? IdPrefix { get; init; }

    /// <summary>Only the child runs that tasks of this run started (<see cref="RunSummary.ParentRunId"/>); null for all.</summary>
    public string? ParentRunId { get; init; }

    /// <summary>The most runs returned. Default 50.</summary>
    public int Limit { get; init; } = 50;

    /// <summary>Runs skipped before the first returned (paging). Default 0.</summary>
    public int Offset { get; init; }
}
