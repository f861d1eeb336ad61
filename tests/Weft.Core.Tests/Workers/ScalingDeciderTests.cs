using Weft.WorkerPool;

namespace Weft.Tests.WorkerPool;

public sealed class ScalingDeciderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly PoolOptions Options = new()
    {
        MinWorkers = 2,
        MaxWorkers = 16,
        ScaleUpQueueDepth = 4,
        CoolDown = TimeSpan.FromSeconds(10),
        ScaleDownIdleAfter = TimeSpan.FromSeconds(30),
    };

    private static PoolSignals Signals(
        int queued = 0, int busy = 0, int slots = 4, double? cpu = null, DateTimeOffset? lastScale = null, bool lastGrew = false, DateTimeOffset? idleSince = null, TimeSpan at = default) =>
        new(T0 + at, queued, busy, slots, cpu, lastScale, lastGrew, idleSince);

    [Fact]
    public void Decide_QueueDeeperThanThreshold_AddsASlotAndSaysWhy()
    {
        var d = ScalingDecider.Decide(Options, Signals(queued: 5, busy: 4, slots: 4, cpu: 0.6));

        Assert.Equal(1, d.Delta);
        Assert.Equal("queue depth 5 > 4", d.Reason);
    }

    [Fact]
    public void Decide_UtilizationAbove80Percent_AddsASlot()
    {
        var d = ScalingDecider.Decide(Options, Signals(queued: 0, busy: 9, slots: 10));

        Assert.Equal(1, d.Delta);
        Assert.Equal("utilization 90% > 80%", d.Reason);
    }

    [Fact]
    public void Decide_AtTheMaximum_DoesNotGrow()
    {
        Assert.Equal(ScaleDecision.None, ScalingDecider.Decide(Options, Signals(queued: 500, busy: 16, slots: 16)));
    }

    [Fact]
    public void Decide_InsideTheCoolDownOfAGrowth_GrowsOnButDoesNotShrink()
    {
        var grew = T0;

        Assert.Equal(1, ScalingDecider.Decide(Options, Signals(queued: 100, busy: 4, lastScale: grew, lastGrew: true, at: TimeSpan.FromSeconds(1))).Delta);
        Assert.Equal(ScaleDecision.None, ScalingDecider.Decide(Options, Signals(queued: 0, busy: 0, lastScale: grew, lastGrew: true, at: TimeSpan.FromSeconds(9))));
        Assert.Equal(-1, ScalingDecider.Decide(Options, Signals(queued: 0, busy: 0, lastScale: grew, lastGrew: true, at: TimeSpan.FromSeconds(10))).Delta);
    }

    [Fact]
    public void Decide_InsideTheCoolDownOfAShrink_ChangesNothingEitherWay()
    {
        var shrank = T0;

        Assert.Equal(ScaleDecision.None, ScalingDecider.Decide(Options, Signals(queued: 100, busy: 4, lastScale: shrank, at: TimeSpan.FromSeconds(9))));
        Assert.Equal(ScaleDecision.None, ScalingDecider.Decide(Options, Signals(queued: 0, busy: 0, lastScale: shrank, at: TimeSpan.FromSeconds(9))));
        Assert.Equal(1, ScalingDecider.Decide(Options, Signals(queued: 100, busy: 4, lastScale: shrank, at: TimeSpan.FromSeconds(10))).Delta);
    }

    [Fact]
    public void Decide_IdleLongerThanThreshold_ShrinksToTheMinimum()
    {
        var idle = Signals(queued: 0, busy: 0, slots: 8, idleSince: T0, at: TimeSpan.FromSeconds(30));

        var d = ScalingDecider.Decide(Options, idle);

        Assert.Equal(-6, d.Delta);
        Assert.Equal("idle for 30s: shrinking to the minimum of 2", d.Reason);
    }

    [Fact]
    public void Decide_UtilizationBelow30PercentWithNothingWaiting_GivesOneSlotBack()
    {
        var d = ScalingDecider.Decide(Options, Signals(queued: 0, busy: 2, slots: 10));

        Assert.Equal(-1, d.Delta);
        Assert.Equal("utilization 20% < 30%", d.Reason);
    }

    [Fact]
    public void Decide_LowUtilizationAtTheMinimum_KeepsThePool()
    {
        Assert.Equal(ScaleDecision.None, ScalingDecider.Decide(Options, Signals(queued: 0, busy: 0, slots: 2, idleSince: T0, at: TimeSpan.FromHours(1))));
    }

    [Fact]
    public void Decide_CpuSaturated_ShedsToTheMinimum()
    {
        var d = ScalingDecider.Decide(Options, Signals(queued: 50, busy: 10, slots: 10, cpu: 0.95));

        Assert.Equal(-8, d.Delta);
        Assert.Equal("CPU saturated (95% ≥ 90%): shedding to the minimum of 2", d.Reason);
    }

    [Fact]
    public void Decide_CpuSaturatedAtTheMinimum_DoesNotGrowDespiteADeepQueue()
    {
        Assert.Equal(ScaleDecision.None, ScalingDecider.Decide(Options, Signals(queued: 500, busy: 2, slots: 2, cpu: 0.92)));
    }

    [Fact]
    public void Decide_IoBound_DoublesTowardTheMaximum()
    {
        var first = ScalingDecider.Decide(Options, Signals(queued: 40, busy: 4, slots: 4, cpu: 0.05));
        var last = ScalingDecider.Decide(Options, Signals(queued: 40, busy: 12, slots: 12, cpu: 0.05));

        Assert.Equal(4, first.Delta);
        Assert.StartsWith("I/O-bound: 40 tasks waiting with CPU at 5%", first.Reason);
        Assert.Equal(4, last.Delta); // capped by the maximum of 16
    }

    [Fact]
    public void Decide_BelowTheMinimum_AddsTheDifferenceEvenInsideTheCoolDown()
    {
        var d = ScalingDecider.Decide(Options, Signals(slots: 1, lastScale: T0));

        Assert.Equal(1, d.Delta);
        Assert.Equal("below the minimum of 2", d.Reason);
    }

    [Fact]
    public void Decide_ALoadThatComesAndGoes_NeverReversesInsideTheCoolDown()
    {
        // Every second the queue alternates between deep and empty, for a minute.
        var slots = 4;
        (DateTimeOffset At, int Delta)? last = null;
        var decisions = new List<(DateTimeOffset At, int Delta)>();
        for (var second = 0; second < 60; second++)
        {
            var deep = second % 2 == 0;
            var now = T0 + TimeSpan.FromSeconds(second);
            var d = ScalingDecider.Decide(Options, Signals(queued: deep ? 20 : 0, busy: deep ? slots : 0, slots: slots, lastScale: last?.At, lastGrew: last?.Delta > 0, at: TimeSpan.FromSeconds(second)));
            if (d.Delta != 0)
            {
                slots += d.Delta;
                last = (now, d.Delta);
                decisions.Add(last.Value);
            }
        }

        Assert.NotEmpty(decisions);
        foreach (var (previous, next) in decisions.Zip(decisions.Skip(1)))
        {
            if (Math.Sign(previous.Delta) != Math.Sign(next.Delta))
            {
                Assert.True(next.At - previous.At >= Options.CoolDown, $"reversed {next.At - previous.At} after the previous decision");
            }
        }

        Assert.InRange(slots, Options.MinWorkers, Options.MaxWorkers);
    }

    private static readonly PoolOptions AdaptiveOptions = new()
    {
        MinWorkers = 1,
        MaxWorkers = 16,
        CoolDown = TimeSpan.FromSeconds(10),
        Adaptive = true,
    };

    private static PoolSignals Machine(double busy, double ioWait, int slots, int queued = 50, int cores = 2, DateTimeOffset? lastScale = null, bool lastGrew = false) =>
        new(T0, queued, Math.Min(slots, queued), slots, busy, lastScale, lastGrew, null, new global::Weft.Monitoring.SystemCpuLoad(busy, ioWait), cores);

    [Fact]
    public void Adaptive_CoresBusyWithTasksWaiting_GoesBackToOneSlotPerCore()
    {
        var d = ScalingDecider.Decide(AdaptiveOptions, Machine(busy: 0.95, ioWait: 0, slots: 8));

        Assert.Equal(-6, d.Delta);
        Assert.Equal("CPU at 95% (≥ 80%) with 50 tasks waiting: back to one slot per core (2)", d.Reason);
    }

    [Fact]
    public void Adaptive_CoresBusy_NeverGrows_AndShrinksOnlyOutsideTheCoolDown()
    {
        Assert.Equal(ScaleDecision.None, ScalingDecider.Decide(AdaptiveOptions, Machine(busy: 0.9, ioWait: 0, slots: 2)));
        Assert.Equal(ScaleDecision.None, ScalingDecider.Decide(AdaptiveOptions, Machine(busy: 0.9, ioWait: 0, slots: 8, lastScale: T0.AddSeconds(-3), lastGrew: true)));
    }

    [Fact]
    public void Adaptive_HighIoWait_DoublesTowardTheMaximum_EvenRightAfterAShrink()
    {
        var d = ScalingDecider.Decide(AdaptiveOptions, Machine(busy: 0.6, ioWait: 0.3, slots: 2, lastScale: T0.AddSeconds(-1), lastGrew: false));

        Assert.Equal(2, d.Delta);
        Assert.Equal("50 tasks waiting with CPU at 60% and I/O wait at 30%: growing toward the maximum of 16", d.Reason);
        Assert.Equal(4, ScalingDecider.Decide(AdaptiveOptions, Machine(busy: 0.1, ioWait: 0, slots: 12)).Delta);
    }

    [Fact]
    public void Adaptive_CpuBetweenHalfAndHigh_AddsOneSlot_AndStopsAtTheMaximum()
    {
        Assert.Equal(1, ScalingDecider.Decide(AdaptiveOptions, Machine(busy: 0.7, ioWait: 0.05, slots: 4)).Delta);
        Assert.Equal(ScaleDecision.None, ScalingDecider.Decide(AdaptiveOptions, Machine(busy: 0.1, ioWait: 0.5, slots: 16)));
    }

    [Fact]
    public void Adaptive_WithoutAMachineReading_OrWithNothingWaiting_FollowsTheQueueRules()
    {
        var noReading = new PoolSignals(T0, 5, 4, 4, 0.6, null, false, null, null, 2);
        Assert.Equal(ScalingDecider.Decide(Options, noReading with { }), ScalingDecider.Decide(AdaptiveOptions, noReading));

        var idle = Machine(busy: 0.95, ioWait: 0, slots: 8, queued: 0) with { IdleSince = T0.AddMinutes(-1) };
        Assert.Equal(-7, ScalingDecider.Decide(AdaptiveOptions, idle).Delta);
    }

    [Fact]
    public void ProcStat_CpuLine_IsBusyIdleAndIoWait_AndTwoReadingsGiveTheLoadBetween()
    {
        const string Before = "cpu  100 10 50 800 40 0 5 0 0 0\ncpu0 50 5 25 400 20 0 3 0 0 0\nintr 1 2 3\n";
        const string After = "cpu  160 10 70 860 80 0 15 5 7 0\n";

        var a = global::Weft.Monitoring.CpuTimes.Parse(Before)!.Value;
        var b = global::Weft.Monitoring.CpuTimes.Parse(After)!.Value;

        Assert.Equal(new global::Weft.Monitoring.CpuTimes(165, 800, 40), a);
        var load = global::Weft.Monitoring.SystemCpuLoad.Between(a, b)!.Value;
        Assert.Equal(95.0 / 195, load.Busy, 6);
        Assert.Equal(40.0 / 195, load.IoWait, 6);
        Assert.Null(global::Weft.Monitoring.CpuTimes.Parse("intr 1 2 3\n"));
        Assert.Null(global::Weft.Monitoring.SystemCpuLoad.Between(a, a));
    }
}
