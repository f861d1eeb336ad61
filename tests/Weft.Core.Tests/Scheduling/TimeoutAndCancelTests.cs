using Weft.Definitions;
using Weft.Execution;
using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.Scheduling;

public sealed class TimeoutAndCancelTests
{
    [Theory]
    [MemberData(nameof(Workers.Counts), MemberType = typeof(Workers))]
    public async Task Run_TaskPastItsTimeout_IsTimedOutAndItsTokenFires(int workers)
    {
        await using var h = new EngineHarness(workers);
        h.Script.BlockUntilCancelled("hang");
        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("hang") with { Timeout = TimeSpan.FromSeconds(30) }, Def("after", "hang")));
        await h.WaitForEventAsync(handle.RunId, e => e.Kind == RunEventKind.TaskStarted && e.TaskId == "hang");
        await EngineHarness.WaitUntilAsync(() => h.Script.Running == 1); // the timeout is armed before the handler runs

        h.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(TaskState.Running, handle.Snapshot().Tasks[0].State);
        h.Clock.Advance(TimeSpan.FromSeconds(1));

        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        Assert.Equal(TaskState.TimedOut, run.Tasks[0].State);
        Assert.Contains("timed out after 30s", run.Tasks[0].Error);
        Assert.Equal(TaskState.UpstreamFailed, run.Tasks[1].State);
        Assert.Equal(RunState.Failed, run.State);
    }

    [Fact]
    public async Task Run_TimeoutInRetryOn_RetriesTheTimedOutTask()
    {
        await using var h = new EngineHarness(2);
        h.Script.On("t", async inv =>
        {
            if (inv.Attempt == 1)
            {
                await Task.Delay(Timeout.Infinite, inv.CancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                return TaskOutcome.Cancelled();
            }

            return TaskOutcome.Succeeded("second time");
        });
        var policy = new RetryPolicy { Strategy = RetryStrategy.Immediate, MaxAttempts = 2, RetryOn = [new RetryCondition(RetryConditionKind.Timeout)] };
        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("t") with { Timeout = TimeSpan.FromSeconds(5), Retry = policy }));
        await h.WaitForEventAsync(handle.RunId, e => e.Kind == RunEventKind.TaskStarted);

        h.Clock.Advance(TimeSpan.FromSeconds(5));

        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        Assert.Equal(TaskState.Succeeded, run.Tasks[0].State);
        Assert.Equal(TaskOutcomeStatus.TimedOut, run.Tasks[0].AttemptHistory[0].Outcome);
    }

    [Theory]
    [MemberData(nameof(Workers.Counts), MemberType = typeof(Workers))]
    public async Task CancelAsync_RunningRun_CancelsRunningAndPendingTasks(int workers)
    {
        await using var h = new EngineHarness(workers);
        h.Script.BlockUntilCancelled("long");
        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("long"), Def("next", "long"), Def("last", "next")));
        await h.WaitForEventAsync(handle.RunId, e => e.Kind == RunEventKind.TaskStarted && e.TaskId == "long");

        Assert.True(await h.Engine.CancelAsync(handle.RunId));

        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        Assert.Equal(RunState.Cancelled, run.State);
        Assert.All(run.Tasks, t => Assert.Equal(TaskState.Cancelled, t.State));
        Assert.Equal(1, run.Tasks[0].Attempts);
        Assert.Equal(0, run.Tasks[1].Attempts);
        Assert.False(await h.Engine.CancelAsync(handle.RunId));
    }

    [Fact]
    public async Task CancelAsync_TaskWaitingToRetry_CancelsItWithoutAnotherAttempt()
    {
        await using var h = new EngineHarness(2);
        h.Script.Outcomes("flaky", TaskOutcome.Failed("no"));
        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("flaky") with { Retry = new RetryPolicy { Delay = TimeSpan.FromMinutes(1) } }));
        await h.WaitForEventAsync(handle.RunId, e => e.Kind == RunEventKind.TaskRetrying);

        await h.Engine.CancelAsync(handle.RunId);
        h.Clock.Advance(TimeSpan.FromMinutes(5));

        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        Assert.Equal(TaskState.Cancelled, run.Tasks[0].State);
        Assert.Equal(1, run.Tasks[0].Attempts);
    }
}
