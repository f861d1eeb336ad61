namespace Weft.Monitoring;

/// <summary>Counters the scheduler bumps under its lock (plain increments: the lock already orders
/// them), read by <see cref="WeftEngine.GetStatus"/> and the metrics instruments.</summary>
internal sealed class EngineCounters
{
    public long TasksSucceeded;
    public long TasksFailed;
    public long RunsFinished;
    public int Running;

    /// <summary>Tasks of runs in the scheduler that are not final yet (the queue limit counts these).</summary>
    public int Outstanding;

    /// <summary>Queued → started, over recent tasks.</summary>
    public readonly LatencyWindow QueueWait = new();

    /// <summary>Started → finished, over recent attempts.</summary>
    public readonly LatencyWindow RunTime = new();

    /// <summary>Finished attempts per second over the last 60 one-second buckets.</summary>
    public readonly ThroughputWindow Throughput = new();

    /// <summary>The per-task instruments of the engine's <see cref="WeftMetrics"/>, once one is made;
    /// null until then (one null check per task).</summary>
    public TaskInstruments? Instruments;
}
