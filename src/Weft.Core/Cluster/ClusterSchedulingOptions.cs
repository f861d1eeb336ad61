namespace Weft.Cluster;

/// <summary>How an engine leads a cluster (its store is an <see cref="IClusterStore"/>): tasks go to the
/// store's queue for worker processes instead of running on the engine's own slots.</summary>
public sealed class ClusterSchedulingOptions
{
    /// <summary>This engine is the cluster's scheduler. Must be set for an engine over an
    /// <see cref="IClusterStore"/> (a cluster has one scheduler at a time: <see cref="SchedulerLeadership"/>
    /// sets it once it holds the lock); to submit from elsewhere use <see cref="ClusterClient"/>, to read
    /// runs use the store. Default false.</summary>
    public bool Schedule { get; set; }

    /// <summary>Safety-net poll for completions and new runs when no signal arrives. Default 2 s.</summary>
    public TimeSpan PollEvery { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often expired leases (lost workers) are looked for. Default 2 s.</summary>
    public TimeSpan LostCheckEvery { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A task whose attempts lost their worker this many times fails as quarantined. Default 3.</summary>
    public int QuarantineAfter { get; set; } = 3;

    /// <summary>At most this many attempts handed to workers (queued or published to a transport) and not yet
    /// reported. A run of 100,000 ready tasks is then handed over as workers get through it, not all at once
    /// (which the scheduler, the store and the transport would each have to hold). Default 16,384.</summary>
    public int MaxOutstanding { get; set; } = 16_384;

    /// <summary>Take up runs that other processes (<c>weft run --store postgres://…</c>) recorded. Default true.</summary>
    public bool TakeSubmittedRuns { get; set; } = true;

    internal IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (PollEvery <= TimeSpan.Zero)
        {
            errors.Add($"Cluster.PollEvery must be positive (was {PollEvery})");
        }

        if (LostCheckEvery <= TimeSpan.Zero)
        {
            errors.Add($"Cluster.LostCheckEvery must be positive (was {LostCheckEvery})");
        }

        if (MaxOutstanding < 1)
        {
            errors.Add($"Cluster.MaxOutstanding must be at least 1 (was {MaxOutstanding})");
        }

        if (QuarantineAfter < 1)
        {
            errors.Add($"Cluster.QuarantineAfter must be at least 1 (was {QuarantineAfter})");
        }

        return errors;
    }
}
