namespace Weft.Cluster;

/// <summary>One queue row inside <see cref="MemoryClusterStore"/>, as the PostgreSQL table keeps it.</summary>
internal sealed class MemoryQueueRow
{
    public required long Id { get; init; }

    public required string RunId { get; init; }

    public required string TaskId { get; init; }

    public required int Attempt { get; init; }

    public required string Queue { get; init; }

    public required string DefinitionHash { get; init; }

    public string? Payload { get; init; }

    public string? Worker { get; set; }

    public DateTimeOffset LeaseUntil { get; set; }

    /// <summary>Its run was cancelled (<c>CancelQueued</c>): the holder stops it at its next heartbeat.</summary>
    public bool Cancelled { get; set; }

    public TaskCompletion? Completion { get; set; }

    /// <summary>Order of completion (for oldest-completion-first reads).</summary>
    public long CompletedSequence { get; set; }

    public QueuedTask ToQueuedTask() => new()
    {
        Id = Id,
        RunId = RunId,
        TaskId = TaskId,
        Attempt = Attempt,
        Queue = Queue,
        DefinitionHash = DefinitionHash,
        Payload = Payload,
        Worker = Worker,
    };
}
