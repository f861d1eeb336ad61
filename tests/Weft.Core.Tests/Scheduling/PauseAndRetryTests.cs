using Weft.Execution;
using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.Scheduling;

public sealed class PauseAndRetryTests
{
    [Theory]
    [MemberData(nameof(Workers.Counts), MemberType = typeof(Workers))]
    public async Task PauseAsync_RunningRun_LetsRunningTasksFinishButStartsNothingUntilResumed(int workers)
    {
        await using var h = new EngineHarness(workers);
        var release = new TaskCompletionSource<TaskOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Script.On("a", _ => new(release.Task));
        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("a"), Def("b", "a"), Def("c", "b")));
        await h.WaitForEventAsync(handle.RunId, e => e.Kind == RunEventKind.TaskStarted && e.TaskId == "a");

        Assert.True(await h.Engine.PauseAsync(handle.RunId));
        release.SetResult(TaskOutcome.Success);
        await h.WaitForEventAsync(handle.RunId, e => e.Kind == RunEventKind.TaskSucceeded && e.TaskId == "a");

        var paused = handle.Snapshot();
        Assert.Equal(RunState.Paused, paused.State);
        Assert.Equal(TaskState.Queued, paused.Tasks[1].State);
        Assert.Equal(["a"], h.Script.StartOrder);

        await h.Engine.ResumeAsync(handle.RunId);
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(["a", "b", "c"], h.Script.StartOrder);
    }

    [Fact]
    public async Task RetryAsync_FailedRun_ReusesSucceededOutputsAndRunsTheRest()
    {
        await using var h = new EngineHarness(2);
        h.Script.Outcomes("extract", TaskOutcome.Succeeded("rows"));
        var failOnce = 0;
        h.Script.On("load", inv => new(Interlocked.Increment(ref failOnce) == 1
            ? TaskOutcome.Failed("db down")
            : TaskOutcome.Succeeded("loaded " + inv.Render("{{ tasks.extract.output }}"))));
        var first = await h.RunAsync(EngineHarness.Flow(Def("extract"), Def("load", "extract"), Def("report", "load")));
        Assert.Equal(RunState.Failed, first.State);

        var retry = await (await h.Engine.RetryAsync(first.RunId)).WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.NotEqual(first.RunId, retry.RunId);
        Assert.Equal(RunState.Succeeded, retry.State);
        var s = retry.Tasks.ToDictionary(t => t.TaskId);
        Assert.Equal(TaskState.Cached, s["extract"].State);
        Assert.Equal("rows", s["extract"].Output);
        Assert.Equal("loaded rows", s["load"].Output);
        Assert.Equal(["extract", "load", "load", "report"], h.Script.StartOrder);
    }
}
