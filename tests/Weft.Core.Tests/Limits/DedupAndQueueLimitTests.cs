using Weft.Execution;
using Weft.Tests.Scheduling;
using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.Limits;

public sealed class DedupAndQueueLimitTests
{
    [Fact]
    public async Task SubmitAsync_SameDedupKeyWithinWindow_ReturnsTheFirstRun()
    {
        await using var h = new EngineHarness(2);
        var flow = EngineHarness.Flow(Def("a"));

        var first = await h.Engine.SubmitAsync(flow, options: new SubmitOptions { DedupKey = "nightly-2026-01-01" });
        h.Clock.Advance(TimeSpan.FromSeconds(59));
        var second = await h.Engine.SubmitAsync(flow, options: new SubmitOptions { DedupKey = "nightly-2026-01-01" });

        Assert.Equal(first.RunId, second.RunId);
        Assert.Single(h.Engine.RunIds());
        Assert.Equal(RunState.Succeeded, (await second.WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);
    }

    [Fact]
    public async Task SubmitAsync_SameDedupKeyAfterWindow_StartsANewRun()
    {
        await using var h = new EngineHarness(2);
        var flow = EngineHarness.Flow(Def("a"));

        var first = await h.Engine.SubmitAsync(flow, options: new SubmitOptions { DedupKey = "k" });
        h.Clock.Advance(TimeSpan.FromSeconds(61));
        var second = await h.Engine.SubmitAsync(flow, options: new SubmitOptions { DedupKey = "k" });
        var other = await h.Engine.SubmitAsync(flow, options: new SubmitOptions { DedupKey = "other" });

        Assert.NotEqual(first.RunId, second.RunId);
        Assert.NotEqual(second.RunId, other.RunId);
        Assert.Equal(3, h.Engine.RunIds().Count);
    }

    [Fact]
    public async Task SubmitAsync_PastTheQueueLimit_FailsFastAndSubmitsNothing()
    {
        await using var h = new EngineHarness(1, o => o.QueueLimit = 5);
        var hold = new TaskCompletionSource<TaskOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Script.On("a", _ => new(hold.Task));
        var running = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("a"), Def("b", "a"), Def("c", "a")));

        var ex = await Assert.ThrowsAsync<WeftQueueFullException>(async () =>
            await h.Engine.SubmitAsync(EngineHarness.Flow(Def("x"), Def("y"), Def("z"))));

        Assert.Contains("queue full", ex.Message);
        Assert.Equal(3, ex.Outstanding);
        Assert.Equal(5, ex.Limit);
        Assert.Single(h.Engine.RunIds());
        hold.SetResult(TaskOutcome.Success);
        await running.WaitAsync().WaitAsync(EngineHarness.HardLimit);
    }

    [Fact]
    public async Task SubmitAsync_RunLargerThanTheLimit_IsRefusedEvenOnAnIdleEngine()
    {
        await using var h = new EngineHarness(1, o => o.QueueLimit = 2);

        var ex = await Assert.ThrowsAsync<WeftQueueFullException>(async () =>
            await h.Engine.SubmitAsync(EngineHarness.Flow(Def("x"), Def("y"), Def("z")), options: new SubmitOptions { WaitIfQueueFull = true }));

        Assert.Equal(3, ex.RunTasks);
        Assert.Equal(
            "queue full: this run has 3 tasks, more than the queue limit of 2 on its own; raise the limit (queueLimit in weft.yaml, WEFT__QUEUELIMIT, or WeftOptions.QueueLimit)",
            ex.Message); // not "try again later": waiting cannot make it fit
    }

    [Fact]
    public async Task SubmitAsync_WaitIfQueueFull_SubmitsOnceRoomOpensUp()
    {
        await using var h = new EngineHarness(1, o => o.QueueLimit = 3);
        var hold = new TaskCompletionSource<TaskOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Script.On("a", _ => new(hold.Task));
        var first = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("a"), Def("b", "a")));

        var waiting = h.Engine.SubmitAsync(EngineHarness.Flow(Def("x"), Def("y")), options: new SubmitOptions { WaitIfQueueFull = true }).AsTask();
        Assert.False(waiting.IsCompleted);
        Assert.Single(h.Engine.RunIds());

        hold.SetResult(TaskOutcome.Success);
        var second = await waiting.WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Succeeded, (await second.WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);
        Assert.Equal(RunState.Succeeded, (await first.WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);
    }
}
