using Weft.Definitions;

namespace Weft;

/// <summary>The engine's health as <c>/health</c> and <c>weft status</c> report it.</summary>
public enum HealthState
{
    /// <summary>All is well: no reasons, no alerts.</summary>
    Healthy,
    /// <summary>Working, but something needs attention (see <see cref="EngineStatus.Reasons"/> and <see cref="EngineStatus.Alerts"/>).</summary>
    Degraded,
    /// <summary>Not able to do its work (e.g. the store is failing).</summary>
    Unhealthy,
}

/// <summary>The engine at one moment (<see cref="WeftEngine.GetStatus"/>): health with its reasons,
/// slots, queue, throughput, latencies, memory and active alerts.</summary>
public sealed record EngineStatus
{
    /// <summary>When the picture was taken (engine clock).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Overall health; <see cref="Reasons"/> says why when not healthy.</summary>
    public required HealthState Health { get; init; }

    /// <summary>Why the engine is not healthy; empty when it is.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>Slots running a task now.</summary>
    public int SlotsBusy { get; init; }
    /// <summary>Slots waiting for work now.</summary>
    public int SlotsIdle { get; init; }
    /// <summary>All live slots.</summary>
    public int SlotsTotal => SlotsBusy + SlotsIdle;

    /// <summary>The worker pool: live and busy slots, bounds, strategy, crashes, recent scaling decisions.</summary>
    public PoolStatus Pool { get; init; } = PoolStatus.Empty;

    /// <summary>Tasks waiting for a slot, by priority class.</summary>
    public IReadOnlyDictionary<TaskPriority, int> QueueDepth { get; init; } = new Dictionary<TaskPriority, int>();

    /// <summary>Tasks waiting for a slot, all priorities.</summary>
    public int QueuedTotal => QueueDepth.Values.Sum();

    /// <summary>Runs submitted and not yet final.</summary>
    public int ActiveRuns { get; init; }

    /// <summary>Task attempts finished over the last minute, per second.</summary>
    public double ThroughputPerSecond { get; init; }

    /// <summary>Totals since the engine started.</summary>
    public long TasksSucceeded { get; init; }
    /// <summary>Tasks that ended failed, timed out, cancelled or upstream-failed, since the engine started.</summary>
    public long TasksFailed { get; init; }
    /// <summary>Runs that reached a final state, since the engine started.</summary>
    public long RunsFinished { get; init; }

    /// <summary>Time from queued to started, over recent tasks.</summary>
    public Percentiles QueueWait { get; init; } = Percentiles.Empty;

    /// <summary>Time from started to finished, over recent attempts.</summary>
    public Percentiles RunTime { get; init; } = Percentiles.Empty;

    /// <summary>Result cache hit rate in [0, 1]; null when no look-up happened.</summary>
    public double? CacheHitRate { get; init; }

    /// <summary>Circuit breakers by key: closed, open or half_open.</summary>
    public IReadOnlyDictionary<string, string> Breakers { get; init; } = new Dictionary<string, string>();

    /// <summary>The process's working set, in bytes.</summary>
    public long WorkingSetBytes { get; init; }
    /// <summary>Bytes allocated on the managed heap (an estimate, without forcing a collection).</summary>
    public long GcHeapBytes { get; init; }

    /// <summary>The machine's CPU in use (every process's), as a fraction of all cores, over the monitor's
    /// last interval (<c>/proc/stat</c>); null before two samples or where it cannot be read.</summary>
    public double? CpuBusy { get; init; }

    /// <summary>The share of the machine's CPU time idle waiting on I/O over the same interval; null as
    /// <see cref="CpuBusy"/>.</summary>
    public double? CpuIoWait { get; init; }

    /// <summary>This process's CPU use as a fraction of all cores over the monitor's last interval;
    /// null before two samples.</summary>
    public double? ProcessCpu { get; init; }

    /// <summary>The machine's cores, as the runtime sees them (the fractions above are of all of them).</summary>
    public int Cores { get; init; } = Environment.ProcessorCount;

    /// <summary>Alerts active now (thresholds of <c>WeftOptions.Monitor</c> crossed), for people.</summary>
    public IReadOnlyList<string> Alerts { get; init; } = [];

    /// <summary>The last error the store gave; null when it is healthy.</summary>
    public string? StoreError { get; init; }

    /// <summary>The pools of the named SQL connections this process's tasks use; empty without any.</summary>
    public IReadOnlyList<ConnectionPoolStatus> ConnectionPools { get; init; } = [];
}

/// <summary>p50, p95 and p99 of a duration.</summary>
public sealed record Percentiles(TimeSpan P50, TimeSpan P95, TimeSpan P99, int Samples)
{
    /// <summary>No samples: all zero.</summary>
    public static readonly Percentiles Empty = new(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, 0);
}
