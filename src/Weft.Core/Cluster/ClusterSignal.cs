namespace Weft.Cluster;

/// <summary>Wake-ups between the processes of a cluster (PostgreSQL NOTIFY channels, one per flag,
/// named after the store's schema so two clusters in one database do not wake each other).</summary>
[Flags]
public enum ClusterSignal
{
    /// <summary>No signal.</summary>
    None = 0,

    /// <summary>A run was recorded and waits for the scheduler to take it up.</summary>
    RunSubmitted = 1,

    /// <summary>Tasks were queued for workers.</summary>
    TasksQueued = 2,

    /// <summary>Workers recorded outcomes for the scheduler to read.</summary>
    TasksCompleted = 4,

    /// <summary>A run reached a final state (followers such as <c>weft run</c> re-read it).</summary>
    RunFinished = 8,
}
