using Weft.Definitions;

namespace Weft;

public enum HealthState
{
    Healthy,
    Degraded,
    Unhealthy,
}

/// <summary>The engine at one moment (<see cref="WeftEngine.GetStatus"/>): health with its reasons,
/// slots, queue, throughput, latencies, memory and active alerts.</summary>
public sealed record EngineStatus
{
    public required DateTimeOffset At { get; init; }

    public required HealthState Health { get; init; }

    /// <summary>Why the engine is not healthy; empty when it is.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    public int SlotsBusy { get; init; }
    public int SlotsIdle { get; init; }
    public int SlotsTotal => SlotsBusy + SlotsIdle;

    /// <summary>The worker pool: live and busy slots, bounds, strategy, crashes, recent scaling decisions.</summary>
    public PoolStatus Pool { get; init; } = PoolStatus.Empty;

    /// <summary>Tasks waiting for a slot, by priority class.</summary>
    public IReadOnlyDictionary<TaskPriority, int> QueueDepth { get; init; } = new Dictionary<TaskPriority, int>();

    public int QueuedTotal => QueueDepth.Values.Sum();

    public int ActiveRuns { get; init; }

    /// <summary>Task attempts finished over the last minute, per second.</summary>
    public double ThroughputPerSecond { get; init; }

    /// <summary>Totals since the engine started.</summary>
    public long TasksSucceeded { get; init; }
    public long TasksFailed { get; init; }
    public long RunsFinished { get; init; }

    /// <summary>Time from queued to started, over recent tasks.</summary>
    public Percentiles QueueWait { get; init; } = Percentiles.Empty;

    /// <summary>Time from started to finished, over recent attempts.</summary>
    public Percentiles RunTime { get; init; } = Percentiles.Empty;

    /// <summary>Result cache hit rate in [0, 1]; null when no look-up happened.</summary>
    public double? CacheHitRate { get; init; }

    /// <summary>Circuit breakers by key: closed, open or half_open.</summary>
    public IReadOnlyDictionary<string, string> Breakers { get; init; } = new Dictionary<string, string>();

    public long WorkingSetBytes { get; init; }
    public long GcHeapBytes { get; init; }

    public IReadOnlyList<string> Alerts { get; init; } = [];

    /// <summary>The last error the store gave; null when it is healthy.</summary>
    public string? StoreError { get; init; }
}

/// <summary>p50, p95 and p99 of a duration.</summary>
public sealed record Percentiles(TimeSpan P50, TimeSpan P95, TimeSpan P99, int Samples)
{
    public static readonly Percentiles Empty = new(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, 0);
}
