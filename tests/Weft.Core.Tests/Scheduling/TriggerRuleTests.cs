using Weft.Definitions;
using Weft.Execution;
using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.Scheduling;

public sealed class TriggerRuleTests
{
    private static readonly TaskOutcome Boom = TaskOutcome.Failed("boom", exitCode: 1);

    [Theory]
    [MemberData(nameof(Workers.Counts), MemberType = typeof(Workers))]
    public async Task Run_FailedTask_MarksDescendantsUpstreamFailedWhileOtherBranchesGoOn(int workers)
    {
        await using var h = new EngineHarness(workers);
        h.Script.Outcomes("bad", Boom);
        var run = await h.RunAsync(EngineHarness.Flow(
            Def("bad"), Def("child", "bad"), Def("grandchild", "child"), Def("other"), Def("other2", "other")));

        var s = run.Tasks.ToDictionary(t => t.TaskId, t => t.State);
        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(TaskState.Failed, s["bad"]);
        Assert.Equal(TaskState.UpstreamFailed, s["child"]);
        Assert.Equal(TaskState.UpstreamFailed, s["grandchild"]);
        Assert.Equal(TaskState.Succeeded, s["other"]);
        Assert.Equal(TaskState.Succeeded, s["other2"]);
        Assert.DoesNotContain("child", h.Script.StartOrder);
    }

    [Theory]
    [InlineData(TriggerRule.AllDone, true, TaskState.Succeeded)]
    [InlineData(TriggerRule.AllFailed, true, TaskState.Skipped)]
    [InlineData(TriggerRule.OneFailed, true, TaskState.Succeeded)]
    [InlineData(TriggerRule.OneSuccess, true, TaskState.Succeeded)]
    [InlineData(TriggerRule.NoneFailed, true, TaskState.UpstreamFailed)]
    [InlineData(TriggerRule.AllSuccess, true, TaskState.UpstreamFailed)]
    [InlineData(TriggerRule.OneFailed, false, TaskState.Skipped)]
    [InlineData(TriggerRule.AllFailed, false, TaskState.Skipped)]
    [InlineData(TriggerRule.AllSuccess, false, TaskState.Succeeded)]
    public async Task Run_TriggerRuleWithOneFailedAndOneSucceededParent_DecidesAsAirflowDoes(TriggerRule rule, bool oneParentFails, TaskState expected)
    {
        await using var h = new EngineHarness(2);
        if (oneParentFails)
        {
            h.Script.Outcomes("p1", Boom);
        }

        var run = await h.RunAsync(EngineHarness.Flow(Def("p1"), Def("p2"), Def("child", "p1", "p2") with { Trigger = rule }));

        Assert.Equal(expected, run.Tasks.Single(t => t.TaskId == "child").State);
    }

    [Fact]
    public async Task Run_AllFailedParents_RunsAllFailedTask()
    {
        await using var h = new EngineHarness(2);
        h.Script.Outcomes("p1", Boom);
        h.Script.Outcomes("p2", Boom);

        var run = await h.RunAsync(EngineHarness.Flow(Def("p1"), Def("p2"), Def("alert", "p1", "p2") with { Trigger = TriggerRule.AllFailed }));

        Assert.Equal(TaskState.Succeeded, run.Tasks.Single(t => t.TaskId == "alert").State);
        Assert.Equal(RunState.Failed, run.State);
    }

    [Fact]
    public async Task Run_OneSuccess_StartsWithoutWaitingForTheSlowParent()
    {
        await using var h = new EngineHarness(4);
        var slow = new TaskCompletionSource<TaskOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Script.On("slow", _ => new(slow.Task));
        var childRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Script.On("child", _ =>
        {
            childRan.SetResult();
            return new(TaskOutcome.Success);
        });

        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("fast"), Def("slow"), Def("child", "fast", "slow") with { Trigger = TriggerRule.OneSuccess }));
        await childRan.Task.WaitAsync(EngineHarness.HardLimit);
        Assert.Equal(TaskState.Running, handle.Snapshot().Tasks.Single(t => t.TaskId == "slow").State);
        slow.SetResult(TaskOutcome.Success);

        Assert.Equal(RunState.Succeeded, (await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);
    }

    [Fact]
    public async Task Run_SkippedBranch_CountsAsSuccessForTheRun()
    {
        await using var h = new EngineHarness(2);
        var run = await h.RunAsync(EngineHarness.Flow(Def("ok"), Def("onFailure", "ok") with { Trigger = TriggerRule.OneFailed }, Def("after", "onFailure")));

        var s = run.Tasks.ToDictionary(t => t.TaskId, t => t.State);
        Assert.Equal(TaskState.Skipped, s["onFailure"]);
        Assert.Equal(TaskState.Skipped, s["after"]);
        Assert.Equal(RunState.Succeeded, run.State);
    }
}
