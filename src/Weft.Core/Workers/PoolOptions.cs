namespace Weft;

/// <summary>The in-process worker pool: how many slots, when it grows and shrinks, and how a ready
/// task picks a slot. Sizes are per process. Setting <see cref="WeftOptions.Workers"/> fixes the
/// pool (<see cref="MinWorkers"/> = <see cref="MaxWorkers"/>), and a fixed pool never scales.</summary>
public sealed class PoolOptions
{
    /// <summary>Fewest slots; the pool starts with this many. Default 2.</summary>
    public int MinWorkers { get; set; } = 2;

    /// <summary>Most slots. Default 16.</summary>
    public int MaxWorkers { get; set; } = 16;

    /// <summary>How often the scaling decision is evaluated (a timer, nothing per task). Default 1 s.</summary>
    public TimeSpan EvaluateEvery { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>More tasks waiting than this (ready queue plus slot queues) asks for more slots. Default 4.</summary>
    public int ScaleUpQueueDepth { get; set; } = 4;

    /// <summary>A larger fraction of slots busy than this asks for more slots. Default 0.8.</summary>
    public double ScaleUpUtilization { get; set; } = 0.8;

    /// <summary>A smaller fraction of slots busy than this, with nothing waiting, gives one slot back. Default 0.3.</summary>
    public double ScaleDownUtilization { get; set; } = 0.3;

    /// <summary>A pool with nothing running and nothing waiting for this long shrinks to its minimum. Default 30 s.</summary>
    public TimeSpan ScaleDownIdleAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Keeps the pool from oscillating: no shrinking within this time of any scaling decision,
    /// and no growing within it of a shrink (growth after growth may continue every evaluation). Default 10 s.</summary>
    public TimeSpan CoolDown { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Process CPU use (fraction of all cores) at or above which the pool stops growing and
    /// sheds to its minimum. Default 0.9.</summary>
    public double CpuSaturated { get; set; } = 0.9;

    /// <summary>CPU use below this, with a deep queue, means the tasks wait on I/O: the pool then
    /// doubles per step toward its maximum instead of adding one slot. Default 0.5.</summary>
    public double IoBoundCpuBelow { get; set; } = 0.5;

    /// <summary>Sizes the pool by the machine's measured load (<c>/proc/stat</c>: CPU in use and I/O wait,
    /// every process's, not only this one's) instead of by the queue alone: with tasks waiting, CPU in
    /// use at or above <see cref="AdaptiveCpuHigh"/> brings the pool back to one slot per core (more
    /// threads on busy cores only add contention), I/O wait at or above <see cref="AdaptiveIoWaitHigh"/>
    /// or CPU below <see cref="IoBoundCpuBelow"/> doubles it toward <see cref="MaxWorkers"/> (the tasks
    /// wait on something other than cores), and in between it grows a slot at a time. Growth is not held
    /// back by the cool-down (the load is measured, not inferred); shrinking is. Where <c>/proc/stat</c>
    /// cannot be read the queue rules apply. Off by default; only for a pool that may scale
    /// (<see cref="MinWorkers"/> below <see cref="MaxWorkers"/>).</summary>
    public bool Adaptive { get; set; }

    /// <summary>Adaptive pool: the machine's CPU use at or above which the pool goes back to one slot per
    /// core and stops growing. Default 0.8.</summary>
    public double AdaptiveCpuHigh { get; set; } = 0.8;

    /// <summary>Adaptive pool: the share of CPU time idle waiting on I/O at or above which the pool grows
    /// quickly. Default 0.2.</summary>
    public double AdaptiveIoWaitHigh { get; set; } = 0.2;

    /// <summary>How a ready task picks a slot. Default <see cref="SlotStrategy.LeastBusy"/>.</summary>
    public SlotStrategy Strategy { get; set; } = SlotStrategy.LeastBusy;

    /// <summary>For <see cref="SlotStrategy.Weighted"/>: slot <c>i</c> gets weight <c>Weights[i % Count]</c>.
    /// Empty (default) weighs every slot 1.</summary>
    public IList<int> Weights { get; } = [];

    /// <summary>For <see cref="SlotStrategy.Random"/>: the seed; null draws one.</summary>
    public int? Seed { get; set; }

    /// <summary>The most tasks a slot may hold ahead of the one it runs once its last 16 tasks completed
    /// synchronously (tiny CPU tasks: fewer trips to the scheduler's lock). Within it, a slot holds what
    /// its recent pace runs in about 100 µs, and at least 8 (slower tasks are held 8 at a time, as before
    /// the pace was measured). Otherwise a slot is given a task only when it
    /// is free, so a task does not wait behind a long one. A task handed to a slot counts as started.
    /// Default 512.</summary>
    public int SlotQueueCapacity { get; set; } = 512;

    /// <summary>Scaling decisions kept for <see cref="EngineStatus.Pool"/>. Default 20.</summary>
    public int KeepEvents { get; set; } = 20;

    internal bool IsFixed => MinWorkers == MaxWorkers;

    internal void Fix(int workers)
    {
        MinWorkers = workers;
        MaxWorkers = workers;
    }

    // checkSizes is false for a fixed pool, whose size WeftOptions.Workers reports under its own name.
    internal IEnumerable<string> Validate(bool checkSizes)
    {
        if (checkSizes && MinWorkers is < 1 or > 4096)
        {
            yield return $"Pool.MinWorkers must be between 1 and 4096 (was {MinWorkers})";
        }

        if (checkSizes && (MaxWorkers is < 1 or > 4096 || MaxWorkers < MinWorkers))
        {
            yield return $"Pool.MaxWorkers must be between Pool.MinWorkers ({MinWorkers}) and 4096 (was {MaxWorkers})";
        }

        if (EvaluateEvery <= TimeSpan.Zero)
        {
            yield return $"Pool.EvaluateEvery must be positive (was {EvaluateEvery})";
        }

        if (ScaleUpQueueDepth < 0)
        {
            yield return $"Pool.ScaleUpQueueDepth must not be negative (was {ScaleUpQueueDepth})";
        }

        foreach (var (name, value) in new[] { ("ScaleUpUtilization", ScaleUpUtilization), ("ScaleDownUtilization", ScaleDownUtilization), ("CpuSaturated", CpuSaturated), ("IoBoundCpuBelow", IoBoundCpuBelow), ("AdaptiveCpuHigh", AdaptiveCpuHigh), ("AdaptiveIoWaitHigh", AdaptiveIoWaitHigh) })
        {
            if (value is < 0 or > 1 || double.IsNaN(value))
            {
                yield return $"Pool.{name} must be between 0 and 1 (was {value})";
            }
        }

        if (ScaleDownUtilization >= ScaleUpUtilization)
        {
            yield return $"Pool.ScaleDownUtilization ({ScaleDownUtilization}) must be below Pool.ScaleUpUtilization ({ScaleUpUtilization})";
        }

        if (ScaleDownIdleAfter <= TimeSpan.Zero)
        {
            yield return $"Pool.ScaleDownIdleAfter must be positive (was {ScaleDownIdleAfter})";
        }

        if (CoolDown < TimeSpan.Zero)
        {
            yield return $"Pool.CoolDown must not be negative (was {CoolDown})";
        }

        if (!Enum.IsDefined(Strategy))
        {
            yield return $"Pool.Strategy must be LeastBusy, RoundRobin, Weighted or Random (was {(int)Strategy})";
        }

        foreach (var (weight, i) in Weights.Select((w, i) => (w, i)).Where(p => p.w < 1))
        {
            yield return $"Pool.Weights[{i}] must be at least 1 (was {weight})";
        }

        if (SlotQueueCapacity is < 1 or > 1024)
        {
            yield return $"Pool.SlotQueueCapacity must be between 1 and 1024 (was {SlotQueueCapacity})";
        }

        if (KeepEvents < 0)
        {
            yield return $"Pool.KeepEvents must not be negative (was {KeepEvents})";
        }
    }
}
