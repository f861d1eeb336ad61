using System.Collections.Concurrent;
using Weft.Execution;
using Weft.Tests.Scheduling;
using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.WorkerPool;

/// <summary>The pool's timer on a fake clock: every decision comes from advancing it.</summary>
public sealed class PoolScalingTests
{
    private static EngineHarness ScalingPool(int min, int max, Action<PoolOptions>? configure = null) => new(min, o =>
    {
        o.Pool.MinWorkers = min;
        o.Pool.MaxWorkers = max;
        o.Pool.CoolDown = TimeSpan.FromSeconds(5);
        o.Monitor.SampleEvery = null;
        configure?.Invoke(o.Pool);
    });

    // Ten tasks that hold their slot until the test opens the gate: a queue that stays deep.
    private static async Task<(RunHandle Handle, TaskCompletionSource Gate)> SubmitHeldAsync(EngineHarness h, int tasks = 10)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var defs = Enumerable.Range(0, tasks).Select(i => Def($"t{i}")).ToArray();
        foreach (var d in defs)
        {
            h.Script.On(d.Id, async _ =>
            {
                await gate.Task;
                return TaskOutcome.Success;
            });
        }

        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(defs));
        await EngineHarness.WaitUntilAsync(() => h.Engine.GetStatus().Pool.Busy == h.Engine.Workers);
        return (handle, gate);
    }

    [Fact]
    public async Task Tick_DeepQueue_AddsASlotAndPublishesTheReason()
    {
        await using var h = ScalingPool(1, 4);
        h.Engine.CpuFraction = () => 0.6;
        var events = new ConcurrentQueue<PoolEvent>();
        h.Engine.PoolChanged += events.Enqueue;
        var (handle, gate) = await SubmitHeldAsync(h);

        h.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(2, h.Engine.Workers);
        var e = Assert.Single(events);
        Assert.Equal((1, 2), (e.From, e.To));
        Assert.StartsWith("queue depth 9 > 4", e.Reason);
        Assert.Equal(e, Assert.Single(h.Engine.GetStatus().Pool.RecentEvents));
        gate.SetResult();
        Assert.Equal(RunState.Succeeded, (await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);
    }

    [Fact]
    public async Task Tick_GrowsEverySecondWhileNeededButShrinksOnlyAfterTheCoolDown()
    {
        await using var h = ScalingPool(1, 8);
        h.Engine.CpuFraction = () => 0.6;
        var (handle, gate) = await SubmitHeldAsync(h);

        for (var i = 0; i < 7; i++)
        {
            h.Clock.Advance(TimeSpan.FromSeconds(1)); // t=1..7: a deep queue, then every slot busy
            await EngineHarness.WaitUntilAsync(() => h.Engine.GetStatus().Pool.Busy == h.Engine.Workers);
        }

        Assert.Equal(8, h.Engine.Workers);
        gate.SetResult();
        await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        await EngineHarness.WaitUntilAsync(() => h.Engine.GetStatus().Pool.Busy == 0);
        for (var i = 0; i < 4; i++)
        {
            h.Clock.Advance(TimeSpan.FromSeconds(1)); // t=8..11: idle, but inside the cool-down of the growth at t=7
        }

        Assert.Equal(8, h.Engine.Workers);
        h.Clock.Advance(TimeSpan.FromSeconds(1)); // t=12
        Assert.Equal(7, h.Engine.Workers);
        Assert.Equal("utilization 0% < 30%", h.Engine.GetStatus().Pool.RecentEvents[^1].Reason);
    }

    [Fact]
    public async Task Tick_IoBound_GrowsToTheMaximum()
    {
        await using var h = ScalingPool(1, 4);
        h.Engine.CpuFraction = () => 0.05;
        var (_, gate) = await SubmitHeldAsync(h);

        h.Clock.Advance(TimeSpan.FromSeconds(1)); // 1 → 2
        h.Clock.Advance(TimeSpan.FromSeconds(1)); // 2 → 4
        h.Clock.Advance(TimeSpan.FromSeconds(5)); // at the maximum

        Assert.Equal(4, h.Engine.Workers);
        var status = h.Engine.GetStatus().Pool;
        Assert.Equal([2, 4], status.RecentEvents.Select(e => e.To));
        Assert.All(status.RecentEvents, e => Assert.StartsWith("I/O-bound", e.Reason));
        gate.SetResult();
    }

    [Fact]
    public async Task Tick_CpuSaturated_ShedsToTheMinimumAndStopsGrowing()
    {
        await using var h = ScalingPool(1, 4);
        var cpu = 0.05;
        h.Engine.CpuFraction = () => cpu;
        var (handle, gate) = await SubmitHeldAsync(h);
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(4, h.Engine.Workers);

        cpu = 0.95;
        h.Clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(4, h.Engine.Workers); // inside the cool-down of the growth at t=2
        h.Clock.Advance(TimeSpan.FromSeconds(1)); // t=7
        Assert.Equal(1, h.Engine.Workers);
        Assert.StartsWith("CPU saturated (95% ≥ 90%)", h.Engine.GetStatus().Pool.RecentEvents[^1].Reason);

        for (var i = 0; i < 20; i++)
        {
            h.Clock.Advance(TimeSpan.FromSeconds(1)); // the queue is still deep, but the cores are full
        }

        Assert.Equal(1, h.Engine.Workers);
        gate.SetResult();
        Assert.Equal(RunState.Succeeded, (await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);
    }

    [Fact]
    public async Task Tick_IdleLongerThanThreshold_ShrinksToTheMinimumAfterTheCoolDown()
    {
        await using var h = ScalingPool(1, 4, p =>
        {
            p.ScaleDownUtilization = 0; // only idleness shrinks here
            p.ScaleDownIdleAfter = TimeSpan.FromSeconds(30);
        });
        h.Engine.CpuFraction = () => 0.05;
        var (handle, gate) = await SubmitHeldAsync(h);
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(4, h.Engine.Workers);
        gate.SetResult();
        await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        await EngineHarness.WaitUntilAsync(() => h.Engine.GetStatus().Pool.Busy == 0);

        for (var i = 0; i < 30; i++)
        {
            h.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(4, h.Engine.Workers); // idle for 29 s so far
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, h.Engine.Workers);
        Assert.Equal("idle for 30s: shrinking to the minimum of 1", h.Engine.GetStatus().Pool.RecentEvents[^1].Reason);

        // The retired slots are gone, and the one left still runs work.
        await EngineHarness.WaitUntilAsync(() => h.Engine.SlotCompletions().Length == 1);
        Assert.Equal(RunState.Succeeded, (await h.RunAsync(EngineHarness.Flow(Def("again")))).State);
    }
}
