using Weft.Execution;

namespace Weft.Cluster;

/// <summary>The outcome of one claimed queue row, as a worker records it.</summary>
public sealed record TaskCompletion
{
    /// <summary>The queue row (<see cref="QueuedTask.Id"/>).</summary>
    public required long Id { get; init; }

    public required string RunId { get; init; }

    public required string TaskId { get; init; }

    public required int Attempt { get; init; }

    public required string Worker { get; init; }

    public required TaskOutcome Outcome { get; init; }

    /// <summary>When the worker started the handler (its clock).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }
}

/// <summary>A claimed row whose lease expired before its worker completed it: the worker is presumed dead.</summary>
public sealed record LostTask
{
    public required long Id { get; init; }

    public required string RunId { get; init; }

    public required string TaskId { get; init; }

    public required int Attempt { get; init; }

    public required string Worker { get; init; }

    /// <summary>When the lease of <see cref="Worker"/> ran out (null if it never sent a heartbeat): the
    /// tasks one death leaves behind share it, so the death is counted once however many tasks it held.</summary>
    public DateTimeOffset? WorkerLeaseUntil { get; init; }
}
