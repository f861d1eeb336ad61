using Weft.Execution;

namespace Weft.Cluster;

/// <summary>The outcome of one claimed queue row, as a worker records it.</summary>
public sealed record TaskCompletion
{
    /// <summary>The queue row (<see cref="QueuedTask.Id"/>).</summary>
    public required long Id { get; init; }

    /// <summary>The run the task belongs to.</summary>
    public required string RunId { get; init; }

    /// <summary>The task's id within its workflow.</summary>
    public required string TaskId { get; init; }

    /// <summary>1-based attempt number the outcome is for.</summary>
    public required int Attempt { get; init; }

    /// <summary>The name of the worker that ran the attempt.</summary>
    public required string Worker { get; init; }

    /// <summary>What the attempt came to.</summary>
    public required TaskOutcome Outcome { get; init; }

    /// <summary>When the worker started the handler (its clock).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the handler returned (the worker's clock).</summary>
    public required DateTimeOffset FinishedAt { get; init; }
}

/// <summary>A claimed row whose lease expired before its worker completed it: the worker is presumed dead.</summary>
public sealed record LostTask
{
    /// <summary>The queue row (<see cref="QueuedTask.Id"/>).</summary>
    public required long Id { get; init; }

    /// <summary>The run the task belongs to.</summary>
    public required string RunId { get; init; }

    /// <summary>The task's id within its workflow.</summary>
    public required string TaskId { get; init; }

    /// <summary>1-based attempt number that was lost.</summary>
    public required int Attempt { get; init; }

    /// <summary>The worker that held the lease and is presumed dead.</summary>
    public required string Worker { get; init; }

    /// <summary>When the lease of <see cref="Worker"/> ran out (null if it never sent a heartbeat): the
    /// tasks one death leaves behind share it, so the death is counted once however many tasks it held.</summary>
    public DateTimeOffset? WorkerLeaseUntil { get; init; }
}
