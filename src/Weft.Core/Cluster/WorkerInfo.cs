namespace Weft.Cluster;

/// <summary>A worker process as registered in the cluster.</summary>
public sealed record WorkerInfo
{
    /// <summary>Unique name (<c>weft worker --name</c>; default host-pid).</summary>
    public required string Name { get; init; }

    /// <summary>The machine it runs on; defaults to this machine's name.</summary>
    public string Host { get; init; } = Environment.MachineName;

    /// <summary>Its operating-system process id; defaults to this process's.</summary>
    public int ProcessId { get; init; } = Environment.ProcessId;

    /// <summary>Queues it claims from.</summary>
    public IReadOnlyList<string> Queues { get; init; } = ["default"];

    /// <summary>Free-form labels it advertises (e.g. "gpu", "eu-west").</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>How many tasks it runs at once.</summary>
    public int Slots { get; init; }

    /// <summary>When it started (its own clock).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Last heartbeat (database clock); set by the store when read.</summary>
    public DateTimeOffset? HeartbeatAt { get; init; }

    /// <summary>True once it unregistered (clean stop); set by the store when read.</summary>
    public bool Stopped { get; init; }

    /// <summary>Until when its last heartbeat holds it alive (that heartbeat plus the worker's own
    /// dead-after, <see cref="ClusterWorkerOptions.LeaseFor"/>); null before its first heartbeat. Set by
    /// the store when read.</summary>
    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>True when it did not stop cleanly and its lease ran out: the scheduler takes back the
    /// tasks it held as lost. Judged by the store on the clock the scheduler uses. Set by the store when read.</summary>
    public bool Lost { get; init; }
}
