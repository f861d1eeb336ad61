namespace Weft.Cluster;

/// <summary>One row of the cluster's task queue: one attempt of one task, as a worker claims it.</summary>
public sealed record QueuedTask
{
    /// <summary>The row's id (unique, increasing in queue order).</summary>
    public required long Id { get; init; }

    /// <summary>The run the task belongs to.</summary>
    public required string RunId { get; init; }

    /// <summary>The task's id within its workflow.</summary>
    public required string TaskId { get; init; }

    /// <summary>1-based attempt number this row runs.</summary>
    public required int Attempt { get; init; }

    /// <summary>The queue the task is routed to (<c>queue:</c> of the task; "default" when absent).</summary>
    public required string Queue { get; init; }

    /// <summary>Content hash of the run's workflow definition (<see cref="IClusterStore.GetDefinitionAsync"/>).</summary>
    public required string DefinitionHash { get; init; }

    /// <summary>Template values the task needs (<see cref="TaskPayload"/>); null when it uses none.</summary>
    public string? Payload { get; init; }

    /// <summary>The worker holding it; null while unclaimed.</summary>
    public string? Worker { get; init; }
}
