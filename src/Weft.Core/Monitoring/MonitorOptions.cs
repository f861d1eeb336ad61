namespace Weft;

/// <summary>What the resource monitor samples and when it raises alerts.</summary>
public sealed class MonitorOptions
{
    /// <summary>How often process memory, GC and CPU are sampled and alerts re-evaluated. Default 5 s; null turns the monitor off.</summary>
    public TimeSpan? SampleEvery { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Working set above this raises a warning. Default 400 MB.</summary>
    public long WarningBytes { get; set; } = 400L * 1024 * 1024;

    /// <summary>Working set above this is critical: the result cache is shed and new submissions wait
    /// until memory falls below the warning level. Default 800 MB.</summary>
    public long CriticalBytes { get; set; } = 800L * 1024 * 1024;

    /// <summary>GC heap growth faster than this, sustained over <see cref="LeakSustainedFor"/>, raises a leak alert. Default 10 MB/s.</summary>
    public long LeakBytesPerSecond { get; set; } = 10L * 1024 * 1024;

    /// <summary>How long the growth must last. Default 30 s.</summary>
    public TimeSpan LeakSustainedFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>More queued tasks than this, for longer than <see cref="BacklogFor"/>, raises a backlog alert. Default 50.</summary>
    public int BacklogThreshold { get; set; } = 50;

    /// <summary>Default 30 s.</summary>
    public TimeSpan BacklogFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A running attempt this much longer than its task's usual run time (the smoothed
    /// duration of its recent successful attempts in this engine) raises a <c>slow_task</c> alert,
    /// checked at each sample; a task with no successful attempt yet has no usual time and is never
    /// reported. The alert clears when no task is slow any more. Default 5 s.</summary>
    public TimeSpan SlowTaskMargin { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a <c>worker_crash</c> alert stays active after the last worker crash.
    /// Default 5 minutes.</summary>
    public TimeSpan WorkerCrashAlertFor { get; set; } = TimeSpan.FromMinutes(5);

    internal IEnumerable<string> Validate()
    {
        if (SampleEvery is { } every && every <= TimeSpan.Zero)
        {
            yield return $"Monitor.SampleEvery must be positive or null (was {every})";
        }

        if (SlowTaskMargin < TimeSpan.Zero)
        {
            yield return $"Monitor.SlowTaskMargin must not be negative (was {SlowTaskMargin})";
        }

        if (WorkerCrashAlertFor <= TimeSpan.Zero)
        {
            yield return $"Monitor.WorkerCrashAlertFor must be positive (was {WorkerCrashAlertFor})";
        }

        if (WarningBytes <= 0 || CriticalBytes < WarningBytes)
        {
            yield return $"Monitor.WarningBytes must be positive and at most CriticalBytes (were {WarningBytes} and {CriticalBytes})";
        }
    }
}
