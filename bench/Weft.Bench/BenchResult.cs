namespace Weft.Bench;

/// <summary>One measured workload: the median of its timed runs.</summary>
/// <param name="Workload">W1, W2, W3, W4-5, W4-15, W4-30 or MEM.</param>
/// <param name="Store">The store the engine recorded into ("memory", "sqlite:PATH"; a cluster's "postgres" or "sqlite").</param>
/// <param name="Tasks">Tasks executed per timed run (for W4: all 100 workflows together).</param>
/// <param name="Seconds">Median wall time from submit until every run finished.</param>
/// <param name="Rate">Tasks per second; for W4, workflows per second (WORKLOADS.md).</param>
internal sealed record BenchResult(string Workload, string Store, int Tasks, double Seconds, double Rate)
{
    /// <summary>Cluster sessions on a transport only: how tasks reached the worker processes ("nats").</summary>
    public string? Transport { get; init; }

    /// <summary>W2: median time between a task and its successor starting, in microseconds.</summary>
    public double? HopUs { get; init; }

    /// <summary>W1: (max − min) / mean of the tasks each worker slot ran, in percent (median over runs).</summary>
    public double? ImbalancePercent { get; init; }

    /// <summary>W4: the same waits one after another with no engine (computed, not measured).</summary>
    public double? BaselineSeconds { get; init; }

    /// <summary>W4: one workflow's critical path × 10 ms, the floor no engine can beat.</summary>
    public double? IdealSeconds { get; init; }

    /// <summary>MEM: the process's peak resident memory (VmHWM) after the run, in MB.</summary>
    public double? PeakMb { get; init; }

    /// <summary>Durable stores only: store commits per task.</summary>
    public double? CommitsPerTask { get; init; }

    /// <summary>PostgreSQL cluster only: write transactions per task as the processes' stores counted
    /// them (<see cref="CommitsPerTask"/> there is the database's count of every committed transaction).</summary>
    public double? WriteCommitsPerTask { get; init; }

    /// <summary>START (cluster only): per worker process, from just before it started to its first claim, in ms.</summary>
    public IReadOnlyList<double>? FirstClaimMs { get; init; }

    /// <summary>W1 in memory: the same tasks as bare thread-pool work items (<see cref="BareBound"/>), tasks
    /// per second, median of runs measured between W1's own.</summary>
    public double? BareRate { get; init; }

    /// <summary>W1 in memory: <see cref="Rate"/> as a percentage of <see cref="BareRate"/>.</summary>
    public double? OfBarePercent { get; init; }

    /// <summary>SQL statements per task, for a SQL store.</summary>
    public double? StatementsPerTask { get; init; }
}
