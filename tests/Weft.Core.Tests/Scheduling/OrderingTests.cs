using Weft.Definitions;
using Weft.Execution;
using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.Scheduling;

/// <summary>The order ready tasks start in: deadlines, aging and critical path first, on a fake clock.</summary>
public sealed class OrderingTests
{
    private static TaskDefinition P(string id, TaskPriority priority, params string[] dependsOn) =>
        Def(id, dependsOn) with { Priority = priority };

    /// <summary>A one-slot engine whose slot is held by a critical "blocker" task until the test has
    /// moved the clock; returns once the blocker runs.</summary>
    private static async Task<(RunHandle Handle, TaskCompletionSource<TaskOutcome> Release)> StartBlockedAsync(
        EngineHarness h, WorkflowDefinition flow, SubmitOptions? options = null)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource<TaskOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Script.On("blocker", _ =>
        {
            started.SetResult();
            return new(release.Task);
        });
        var handle = await h.Engine.SubmitAsync(flow, options: options);
        await started.Task.WaitAsync(EngineHarness.HardLimit);
        return (handle, release);
    }

    [Fact]
    public async Task Run_Deadlines_NearAndOverdueTasksStartFirst()
    {
        await using var h = new EngineHarness(1);
        var flow = EngineHarness.Flow(
            P("blocker", TaskPriority.Critical),
            P("normal", TaskPriority.Normal, "blocker"),
            P("low-late", TaskPriority.Low, "blocker") with { Deadline = DeadlineSpec.AfterSubmit(TimeSpan.FromMinutes(5)) },
            P("low-soon", TaskPriority.Low, "blocker") with { Deadline = DeadlineSpec.AfterSubmit(TimeSpan.FromSeconds(50)) },
            P("high", TaskPriority.High, "blocker"),
            P("low-overdue", TaskPriority.Low, "blocker") with { Deadline = DeadlineSpec.AfterSubmit(TimeSpan.FromSeconds(5)) });
        var (handle, release) = await StartBlockedAsync(h, flow);

        // At +10 s: one task is overdue, "low-soon" has 40 s left (low rises to normal), "low-late" has 290 s.
        h.Clock.Advance(TimeSpan.FromSeconds(10));
        release.SetResult(TaskOutcome.Success);
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(["blocker", "low-overdue", "high", "low-soon", "normal", "low-late"], h.Script.StartOrder);
    }

    [Fact]
    public async Task Run_WorkflowDeadlineAndSubmitDeadline_TheEarlierCountsForEveryTask()
    {
        await using var h = new EngineHarness(1);
        var flow = EngineHarness.Flow(
            P("blocker", TaskPriority.Critical),
            P("high", TaskPriority.High, "blocker"),
            P("low", TaskPriority.Low, "blocker") with { Deadline = DeadlineSpec.AfterSubmit(TimeSpan.FromHours(1)) }) with
        {
            Deadline = DeadlineSpec.AfterSubmit(TimeSpan.FromHours(2)),
        };

        // The submit deadline (+20 s) is the earliest for both tasks; at +15 s both are critical, then by deadline/order.
        var (handle, release) = await StartBlockedAsync(h, flow, new SubmitOptions { Deadline = h.Clock.GetUtcNow().AddSeconds(20) });
        h.Clock.Advance(TimeSpan.FromSeconds(15));
        release.SetResult(TaskOutcome.Success);
        await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(["blocker", "high", "low"], h.Script.StartOrder);
    }

    [Fact]
    public async Task Run_SubmitDeadlineOverdue_ItsTaskGoesBeforeHigherClasses()
    {
        await using var h = new EngineHarness(1);
        var flow = EngineHarness.Flow(
            P("blocker", TaskPriority.Critical),
            P("critical", TaskPriority.Critical, "blocker"),
            P("low", TaskPriority.Low, "blocker"));

        var (handle, release) = await StartBlockedAsync(h, flow, new SubmitOptions { Deadline = h.Clock.GetUtcNow().AddMinutes(10) });
        h.Clock.Advance(TimeSpan.FromMinutes(11));
        release.SetResult(TaskOutcome.Success);
        await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        // Both are overdue; the same deadline, so longest remaining path, then FIFO: definition order.
        Assert.Equal(["blocker", "critical", "low"], h.Script.StartOrder);
    }

    [Theory]
    [InlineData(31, true, new[] { "blocker", "high", "old-low", "normal1", "normal2" })] // one interval: low → normal, ahead of normal's own
    [InlineData(61, true, new[] { "blocker", "old-low", "high", "normal1", "normal2" })] // two intervals: low → high
    [InlineData(61, false, new[] { "blocker", "high", "normal1", "normal2", "old-low" })] // aging off: low waits
    public async Task Run_Aging_ALowTaskWaitingLongRisesOneClassPerInterval(int waitedSeconds, bool aging, string[] expected)
    {
        await using var h = new EngineHarness(1, o => o.AgingInterval = aging ? TimeSpan.FromSeconds(30) : null);

        // "old-low" is a root, queued at submit; the others are queued only when the blocker ends.
        var flow = EngineHarness.Flow(
            P("blocker", TaskPriority.Critical),
            P("old-low", TaskPriority.Low),
            P("normal1", TaskPriority.Normal, "blocker"),
            P("high", TaskPriority.High, "blocker"),
            P("normal2", TaskPriority.Normal, "blocker"));
        var (handle, release) = await StartBlockedAsync(h, flow);

        h.Clock.Advance(TimeSpan.FromSeconds(waitedSeconds));
        release.SetResult(TaskOutcome.Success);
        await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(expected, h.Script.StartOrder);
    }

    [Fact]
    public async Task Run_CriticalPathFirst_StartsTheLongBranchBeforeShortWork()
    {
        await using var h = new EngineHarness(1);
        var flow = EngineHarness.Flow(
            P("blocker", TaskPriority.Critical),
            Def("short1", "blocker"),
            Def("short2", "blocker"),
            Def("long1", "blocker"),
            Def("long2", "long1"),
            Def("long3", "long2"));
        var (handle, release) = await StartBlockedAsync(h, flow);
        release.SetResult(TaskOutcome.Success);
        await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        // long1 and long2 have longer remaining paths than anything else; long3, like the short tasks,
        // has one step left, so among those three queue order holds.
        Assert.Equal(["blocker", "long1", "long2", "short1", "short2", "long3"], h.Script.StartOrder);
    }

    [Fact]
    public async Task Run_FifoOrdering_KeepsQueueOrder()
    {
        await using var h = new EngineHarness(1, o => o.Ordering = QueueOrdering.Fifo);
        var flow = EngineHarness.Flow(
            P("blocker", TaskPriority.Critical),
            Def("short1", "blocker"),
            Def("short2", "blocker"),
            Def("long1", "blocker"),
            Def("long2", "long1"),
            Def("long3", "long2"));
        var (handle, release) = await StartBlockedAsync(h, flow);
        release.SetResult(TaskOutcome.Success);
        await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(["blocker", "short1", "short2", "long1", "long2", "long3"], h.Script.StartOrder);
    }

    [Fact]
    public async Task Run_LearnedDurations_WeighTheNextPlanOfTheSameWorkflow()
    {
        await using var h = new EngineHarness(1);

        // "slow" takes 30 s on the fake clock (it moves the clock itself); both are one unit to the static estimate.
        h.Script.On("slow", _ =>
        {
            h.Clock.Advance(TimeSpan.FromSeconds(30));
            return new(TaskOutcome.Success);
        });
        var flow = new WorkflowDefinition("learn", [Def("quick"), Def("slow")]);

        await h.RunAsync(flow);
        Assert.Equal(["quick", "slow"], h.Script.StartOrder); // equal weights: FIFO

        // A new definition instance is compiled again, now with the measured durations: the slow task first.
        await h.RunAsync(flow with { });
        Assert.Equal(["quick", "slow", "slow", "quick"], h.Script.StartOrder);
    }
}
