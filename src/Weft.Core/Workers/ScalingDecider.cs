using System.Globalization;
using Weft.Definitions;

namespace Weft.WorkerPool;

/// <summary>What the pool looks like at one evaluation: the decider's only inputs.</summary>
/// <param name="Now">The engine clock at this evaluation.</param>
/// <param name="Queued">Tasks waiting: the ready queue plus the slots' own queues.</param>
/// <param name="Busy">Slots running a task.</param>
/// <param name="Slots">Live slots.</param>
/// <param name="Cpu">Process CPU use as a fraction of all cores; null before the monitor has two samples.</param>
/// <param name="LastScaleAt">When the last decision was taken; null before the first.</param>
/// <param name="LastGrew">Whether that decision added slots.</param>
/// <param name="IdleSince">Since when nothing has run and nothing waited; null while busy.</param>
/// <param name="Machine">The machine's CPU and I/O wait since the previous evaluation (adaptive pools); null when unknown.</param>
/// <param name="Cores">The machine's cores, as the runtime sees them.</param>
internal readonly record struct PoolSignals(
    DateTimeOffset Now, int Queued, int Busy, int Slots, double? Cpu, DateTimeOffset? LastScaleAt, bool LastGrew, DateTimeOffset? IdleSince,
    Monitoring.SystemCpuLoad? Machine = null, int Cores = 1);

/// <summary>Add (<see cref="Delta"/> &gt; 0) or remove slots, and why; <see cref="None"/> keeps the pool.</summary>
internal readonly record struct ScaleDecision(int Delta, string Reason)
{
    public static readonly ScaleDecision None = new(0, "");
}

/// <summary>When the pool grows or shrinks. Pure: the same signals give the same decision, so the
/// rules are tested without a pool or a clock. Order matters: bounds, then CPU saturation (which
/// blocks growth), then growth, then shrinking. The cool-down keeps the pool from oscillating: no
/// shrinking within it of any decision, and no growing within it of a shrink. Growth after growth
/// may go on every evaluation, so a burst of work is met in seconds, not cool-downs.</summary>
internal static class ScalingDecider
{
    public static ScaleDecision Decide(PoolOptions options, in PoolSignals s)
    {
        if (options.Adaptive && s.Machine is { } machine && s.Queued > 0
            && s.Slots >= options.MinWorkers && s.Slots <= options.MaxWorkers)
        {
            return AdaptiveScaling.Decide(options, s, machine);
        }

        if (s.Slots < options.MinWorkers)
        {
            return new(options.MinWorkers - s.Slots, Text($"below the minimum of {options.MinWorkers}"));
        }

        if (s.Slots > options.MaxWorkers)
        {
            return new(options.MaxWorkers - s.Slots, Text($"above the maximum of {options.MaxWorkers}"));
        }

        var cooling = s.LastScaleAt is { } last && s.Now - last < options.CoolDown;
        var utilization = s.Slots == 0 ? 0 : (double)s.Busy / s.Slots;
        if (s.Cpu is { } cpu && cpu >= options.CpuSaturated)
        {
            // More threads on saturated cores only add contention: go back to the minimum, and never grow.
            return s.Slots > options.MinWorkers && !cooling
                ? new(options.MinWorkers - s.Slots, Text($"CPU saturated ({Percent(cpu)} ≥ {Percent(options.CpuSaturated)}): shedding to the minimum of {options.MinWorkers}"))
                : ScaleDecision.None;
        }

        var deep = s.Queued > options.ScaleUpQueueDepth;
        if ((deep || utilization > options.ScaleUpUtilization) && s.Slots < options.MaxWorkers && (!cooling || s.LastGrew))
        {
            if (deep && s.Cpu is { } low && low < options.IoBoundCpuBelow)
            {
                // Tasks wait on I/O, not on cores: double toward the maximum rather than creep up.
                var add = Math.Min(options.MaxWorkers - s.Slots, Math.Max(1, s.Slots));
                return new(add, Text($"I/O-bound: {s.Queued} tasks waiting with CPU at {Percent(low)} (< {Percent(options.IoBoundCpuBelow)}); growing toward the maximum of {options.MaxWorkers}"));
            }

            return new(1, deep
                ? Text($"queue depth {s.Queued} > {options.ScaleUpQueueDepth}")
                : Text($"utilization {Percent(utilization)} > {Percent(options.ScaleUpUtilization)}"));
        }

        if (s.Slots > options.MinWorkers && !cooling)
        {
            if (s.IdleSince is { } idle && s.Now - idle >= options.ScaleDownIdleAfter)
            {
                return new(options.MinWorkers - s.Slots, Text($"idle for {Durations.Format(s.Now - idle)}: shrinking to the minimum of {options.MinWorkers}"));
            }

            if (s.Queued == 0 && utilization < options.ScaleDownUtilization)
            {
                return new(-1, Text($"utilization {Percent(utilization)} < {Percent(options.ScaleDownUtilization)}"));
            }
        }

        return ScaleDecision.None;
    }

    internal static string Percent(double fraction) => (fraction * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    internal static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
