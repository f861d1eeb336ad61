using Weft.Monitoring;

namespace Weft.WorkerPool;

/// <summary>The adaptive pool's rule while tasks wait (<see cref="PoolOptions.Adaptive"/>): size by
/// the machine's measured CPU and I/O wait. With nothing waiting, the queue rules of
/// <see cref="ScalingDecider"/> shrink the pool as for any other. Pure, like the decider.</summary>
internal static class AdaptiveScaling
{
    public static ScaleDecision Decide(PoolOptions options, in PoolSignals s, SystemCpuLoad machine)
    {
        var cooling = s.LastScaleAt is { } last && s.Now - last < options.CoolDown;
        var perCore = Math.Clamp(s.Cores, options.MinWorkers, options.MaxWorkers);
        var busy = ScalingDecider.Percent(machine.Busy);
        if (machine.Busy >= options.AdaptiveCpuHigh)
        {
            // The cores are the limit: threads beyond one per core only take turns on them.
            return s.Slots > perCore && !cooling
                ? new(perCore - s.Slots, ScalingDecider.Text($"CPU at {busy} (≥ {ScalingDecider.Percent(options.AdaptiveCpuHigh)}) with {s.Queued} tasks waiting: back to one slot per core ({perCore})"))
                : ScaleDecision.None;
        }

        if (s.Slots >= options.MaxWorkers)
        {
            return ScaleDecision.None;
        }

        if (machine.IoWait >= options.AdaptiveIoWaitHigh || machine.Busy < options.IoBoundCpuBelow)
        {
            // The tasks wait on something other than the cores: double toward the maximum.
            var add = Math.Min(options.MaxWorkers - s.Slots, Math.Max(1, s.Slots));
            return new(add, ScalingDecider.Text($"{s.Queued} tasks waiting with CPU at {busy} and I/O wait at {ScalingDecider.Percent(machine.IoWait)}: growing toward the maximum of {options.MaxWorkers}"));
        }

        return new(1, ScalingDecider.Text($"{s.Queued} tasks waiting with CPU at {busy}: one more slot"));
    }
}
