using Weft.Definitions;
using Weft.Execution;
using Weft.Tests.Scheduling;
using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.Limits;

public sealed class CircuitBreakerTests
{
    private static readonly TaskOutcome Unavailable = TaskOutcome.Failed("HTTP 503", httpStatus: 503);

    private static EngineHarness Harness() => new(1, o =>
    {
        o.Breakers.FailureThreshold = 3;
        o.Breakers.CoolDown = TimeSpan.FromSeconds(60);
        o.Breakers.HalfOpenTrials = 1;
        o.Breakers.SuccessThreshold = 1;
    });

    private static TaskDefinition Call(string id, params string[] deps) => Def(id, deps) with { Breaker = "payments" };

    [Fact]
    public async Task Breaker_AfterThresholdFailures_OpensAndLaterTasksWaitInsteadOfRunning()
    {
        await using var h = Harness();
        foreach (var id in new[] { "c1", "c2", "c3" })
        {
            h.Script.Outcomes(id, Unavailable);
        }

        var failing = await h.RunAsync(EngineHarness.Flow(Call("c1"), Call("c2"), Call("c3")));
        Assert.Equal(RunState.Failed, failing.State);
        Assert.Equal("open", h.Engine.GetBreakers()["payments"]);
        Assert.Equal(HealthState.Degraded, h.Engine.GetStatus().Health);

        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(Call("later")));
        var waiting = await h.WaitForEventAsync(handle.RunId, e => e.Kind == RunEventKind.TaskWaiting);

        Assert.StartsWith("circuit breaker 'payments' is open until", waiting.Error);
        Assert.Equal(TaskState.Queued, handle.Snapshot().Tasks[0].State);
        Assert.Equal(0, handle.Snapshot().Tasks[0].Attempts);

        h.Clock.Advance(TimeSpan.FromSeconds(60));
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(1, run.Tasks[0].Attempts);
        Assert.Equal("closed", h.Engine.GetBreakers()["payments"]);
    }

    [Fact]
    public async Task Breaker_TrialFailsWhileHalfOpen_OpensAgainForAnotherCoolDown()
    {
        await using var h = Harness();
        foreach (var id in new[] { "c1", "c2", "c3", "trial" })
        {
            h.Script.Outcomes(id, Unavailable);
        }

        await h.RunAsync(EngineHarness.Flow(Call("c1"), Call("c2"), Call("c3")));
        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(Call("trial")));
        await h.WaitForEventAsync(handle.RunId, e => e.Kind == RunEventKind.TaskWaiting);

        h.Clock.Advance(TimeSpan.FromSeconds(60));
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(TaskState.Failed, run.Tasks[0].State);
        Assert.Equal("open", h.Engine.GetBreakers()["payments"]);
    }

    [Fact]
    public async Task Breaker_FailuresOutsideRetryOn_DoNotCount()
    {
        await using var h = Harness();
        var onlyTimeouts = new RetryPolicy { Strategy = RetryStrategy.Immediate, MaxAttempts = 1, RetryOn = [new RetryCondition(RetryConditionKind.Timeout)] };
        foreach (var id in new[] { "c1", "c2", "c3", "c4" })
        {
            h.Script.Outcomes(id, Unavailable);
        }

        await h.RunAsync(EngineHarness.Flow(
            Call("c1") with { Retry = onlyTimeouts }, Call("c2") with { Retry = onlyTimeouts },
            Call("c3") with { Retry = onlyTimeouts }, Call("c4") with { Retry = onlyTimeouts }));

        Assert.Equal("closed", h.Engine.GetBreakers()["payments"]);
    }

    [Fact]
    public async Task ResetBreaker_OpenBreaker_LetsWaitingTasksRunAtOnce()
    {
        await using var h = Harness();
        foreach (var id in new[] { "c1", "c2", "c3" })
        {
            h.Script.Outcomes(id, Unavailable);
        }

        await h.RunAsync(EngineHarness.Flow(Call("c1"), Call("c2"), Call("c3")));
        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(Call("later")));
        await h.WaitForEventAsync(handle.RunId, e => e.Kind == RunEventKind.TaskWaiting);

        Assert.True(h.Engine.ResetBreaker("payments"));

        Assert.Equal(RunState.Succeeded, (await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);
        Assert.False(h.Engine.ResetBreaker("nobody"));
    }

    [Fact]
    public async Task Breaker_HttpTask_IsKeyedByHostByDefault()
    {
        await using var h = Harness();

        await h.Engine.SubmitAsync(EngineHarness.Flow(new TaskDefinition("get", new HttpSpec("GET", "http://127.0.0.1:1/x")) with { Retry = RetryPolicy.None }))
            .AsTask().ContinueWith(t => t.Result.WaitAsync(), TaskScheduler.Default).Unwrap().WaitAsync(EngineHarness.HardLimit);

        Assert.Contains("127.0.0.1:1", h.Engine.GetBreakers().Keys);
    }
}
