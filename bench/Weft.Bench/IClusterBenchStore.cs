using Weft.Storage;

namespace Weft.Bench;

/// <summary>The store a cluster benchmark's scheduler records into (<see cref="ClusterBench"/>), with what
/// the session needs to count its commits and statements. Kept open across the session's workloads.</summary>
internal interface IClusterBenchStore : IAsyncDisposable
{
    /// <summary>As results name it: "postgres", "sqlite".</summary>
    string Name { get; }

    IWeftStore Store { get; }

    /// <summary>Statements and write commits this process's store counted itself.</summary>
    long Statements { get; }

    long Commits { get; }

    /// <summary>For the progress line: where runs are recorded (never with a password).</summary>
    string Describe();

    /// <summary>Waits until the database's own counters include everything done so far (PostgreSQL flushes
    /// its statistics late); at once where the store's counts are the figures.</summary>
    Task SettleAsync(CancellationToken ct);

    /// <summary>Every transaction the database committed (every process's, read-only ones too), after
    /// <see cref="SettleAsync"/>; null when only the stores' own counts exist.</summary>
    Task<long?> DatabaseCommitsAsync(CancellationToken ct);
}
