using Weft.Definitions;
using Weft.Execution;
using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.Scheduling;

public sealed class RetryTests
{
    private static readonly TaskOutcome Exit75 = TaskOutcome.Failed("temporary", exitCode: 75);

    [Theory]
    [MemberData(nameof(Workers.Counts), MemberType = typeof(Workers))]
    public async Task Run_FixedRetry_WaitsTheDelayOnTheClockBeforeEachAttempt(int workers)
    {
        await using var h = new EngineHarness(workers);
        h.Script.Outcomes("flaky", Exit75, Exit75, TaskOutcome.Succeeded("done"));
        var policy = new RetryPolicy { Strategy = RetryStrategy.Fixed, MaxAttempts = 5, Delay = TimeSpan.FromSeconds(10) };
        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("flaky") with { Retry = policy }));

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var retrying = await h.WaitForEventAsync(handle.RunId, e => e.Kind == RunEventKind.TaskRetrying && e.Attempt == attempt);
            Assert.Equal(TimeSpan.FromSeconds(10), retrying.RetryDelay);
            h.Clock.Advance(TimeSpan.FromSeconds(9));
            Assert.Equal(TaskState.Retrying, handle.Snapshot().Tasks[0].State);
            h.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(3, run.Tasks[0].Attempts);
        Assert.Equal("done", run.Tasks[0].Output);
        var history = run.Tasks[0].AttemptHistory;
        Assert.Equal([TaskOutcomeStatus.Failed, TaskOutcomeStatus.Failed, TaskOutcomeStatus.Succeeded], history.Select(a => a.Outcome!.Value));
        Assert.All(history.Take(2), a => Assert.Equal(75, a.ExitCode));
        Assert.Equal(TimeSpan.FromSeconds(10), history[1].StartedAt - history[0].FinishedAt);
    }

    [Fact]
    public async Task Run_ExponentialRetry_DoublesTheDelayAndStopsAtMaxAttempts()
    {
        await using var h = new EngineHarness(2);
        h.Script.Outcomes("flaky", Exit75);
        var policy = new RetryPolicy { Strategy = RetryStrategy.Exponential, MaxAttempts = 4, Delay = TimeSpan.FromSeconds(1), Multiplier = 2 };
        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("flaky") with { Retry = policy }));

        var delays = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var e = await h.WaitForEventAsync(handle.RunId, e => e.Kind == RunEventKind.TaskRetrying && e.Attempt == attempt);
            delays.Add(e.RetryDelay!.Value);
            h.Clock.Advance(e.RetryDelay!.Value);
        }

        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], delays);
        Assert.Equal(TaskState.Failed, run.Tasks[0].State);
        Assert.Equal(4, run.Tasks[0].Attempts);
        Assert.Equal(RunState.Failed, run.State);
    }

    [Fact]
    public async Task Run_FailureNotInRetryOn_FailsWithoutRetrying()
    {
        await using var h = new EngineHarness(2);
        h.Script.Outcomes("t", TaskOutcome.Failed("bad input", exitCode: 2));
        var policy = new RetryPolicy { Strategy = RetryStrategy.Immediate, MaxAttempts = 5, RetryOn = [new RetryCondition(RetryConditionKind.ExitCode, 75)] };

        var run = await h.RunAsync(EngineHarness.Flow(Def("t") with { Retry = policy }));

        Assert.Equal(1, run.Tasks[0].Attempts);
        Assert.Equal(TaskState.Failed, run.Tasks[0].State);
        Assert.Equal(2, run.Tasks[0].ExitCode);
    }

    [Fact]
    public async Task Run_ImmediateRetryOnHttp5xx_RetriesWithoutWaiting()
    {
        await using var h = new EngineHarness(2);
        h.Script.Outcomes("t", TaskOutcome.Failed("unavailable", httpStatus: 503), TaskOutcome.Succeeded("ok"));
        var policy = new RetryPolicy { Strategy = RetryStrategy.Immediate, MaxAttempts = 3, RetryOn = [new RetryCondition(RetryConditionKind.HttpStatusClass, 5)] };

        var run = await h.RunAsync(EngineHarness.Flow(Def("t") with { Retry = policy }));

        Assert.Equal(TaskState.Succeeded, run.Tasks[0].State);
        Assert.Equal(2, run.Tasks[0].Attempts);
        Assert.Equal(503, run.Tasks[0].AttemptHistory[0].HttpStatus);
    }
}
