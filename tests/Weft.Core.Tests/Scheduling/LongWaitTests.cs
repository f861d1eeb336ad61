using Weft.Definitions;
using Weft.Execution;
using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.Scheduling;

/// <summary>Waits longer than a .NET timer can be armed for (uint.MaxValue − 1 ms, about 49.7 days): a
/// start time, a timeout, a retry delay and a sleep each happen at their time on the engine's clock,
/// and a start time past the 365-day horizon is refused before anything is stored.</summary>
public sealed class LongWaitTests
{
    // No periodic process sampling: days of fake time would otherwise mean a million samples.
    private static EngineHarness Harness() => new(2, o => o.Monitor.SampleEvery = null);

    [Fact]
    public async Task Submit_NotBefore60DaysAhead_StartsAtItsTimeAndNotBefore()
    {
        await using var h = Harness();
        var t0 = h.Clock.GetUtcNow();

        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("a")), options: new SubmitOptions { NotBefore = t0.AddDays(60) });
        for (var day = 0; day < 59; day += 7)
        {
            h.Clock.Advance(TimeSpan.FromDays(Math.Min(7, 59 - day)));
            Assert.Equal(RunState.Pending, handle.Snapshot().State);
        }

        h.Clock.Advance(TimeSpan.FromDays(1) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(RunState.Pending, handle.Snapshot().State);
        h.Clock.Advance(TimeSpan.FromMilliseconds(1));

        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(t0.AddDays(60), run.StartedAt);
    }

    [Fact]
    public async Task Submit_NotBeforeBeyondTheHorizon_RefusedAndNothingStored()
    {
        await using var h = Harness();

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            h.Engine.SubmitAsync(EngineHarness.Flow(Def("a")), options: new SubmitOptions { NotBefore = h.Clock.GetUtcNow().AddDays(400) }).AsTask());

        Assert.Contains("notBefore", error.Message);
        Assert.Contains("365d", error.Message);
        Assert.Empty(await h.Engine.Store.ListRunsAsync(new Weft.Storage.RunQuery()));
        Assert.Empty(h.Engine.RunIds());
    }

    [Fact]
    public async Task Run_Timeout50Days_TimesOutAt50Days()
    {
        await using var h = Harness();
        h.Script.BlockUntilCancelled("hang");
        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("hang") with { Timeout = TimeSpan.FromDays(50) }));
        await h.WaitForEventAsync(handle.RunId, e => e.Kind == RunEventKind.TaskStarted);

        // TaskStarted is said when the task is claimed; its timeout is armed just before the handler is
        // entered. Moving the clock in between would arm the timer from the moved clock.
        await EngineHarness.WaitUntilAsync(() => h.Script.Running == 1);
        h.Clock.Advance(TimeSpan.FromDays(50) - TimeSpan.FromSeconds(1));
        Assert.Equal(TaskState.Running, handle.Snapshot().Tasks[0].State);
        h.Clock.Advance(TimeSpan.FromSeconds(1));

        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        Assert.Equal(TaskState.TimedOut, run.Tasks[0].State);
        Assert.Contains("timed out after 50d", run.Tasks[0].Error);
    }

    [Fact]
    public async Task Run_RetryDelayOf60Days_RetriesAfter60Days()
    {
        await using var h = Harness();
        h.Script.Outcomes("flaky", TaskOutcome.Failed("not yet"), TaskOutcome.Succeeded("ok"));
        var policy = new RetryPolicy { Strategy = RetryStrategy.Fixed, Delay = TimeSpan.FromDays(60), MaxAttempts = 2 };
        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("flaky") with { Retry = policy }));
        await h.WaitForEventAsync(handle.RunId, e => e.Kind == RunEventKind.TaskRetrying);

        h.Clock.Advance(TimeSpan.FromDays(60) - TimeSpan.FromSeconds(1));
        Assert.Equal(TaskState.Retrying, handle.Snapshot().Tasks[0].State);
        h.Clock.Advance(TimeSpan.FromSeconds(1));

        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        Assert.Equal(TaskState.Succeeded, run.Tasks[0].State);
        Assert.Equal(2, run.Tasks[0].Attempts);
    }

    [Fact]
    public async Task Run_HugeMultiplier_WaitIsCappedByMaxDelay()
    {
        await using var h = Harness();
        h.Script.Outcomes("flaky", TaskOutcome.Failed("1"), TaskOutcome.Failed("2"), TaskOutcome.Failed("3"), TaskOutcome.Succeeded("ok"));
        var policy = new RetryPolicy { Strategy = RetryStrategy.Exponential, Delay = TimeSpan.FromDays(1), Multiplier = 1e20, MaxDelay = TimeSpan.FromDays(60), MaxAttempts = 4 };
        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("flaky") with { Retry = policy }));

        var delays = new List<TimeSpan>();
        await foreach (var e in h.Engine.WatchAsync(handle.RunId).WithCancellation(new CancellationTokenSource(EngineHarness.HardLimit).Token))
        {
            if (e.Kind == RunEventKind.TaskRetrying)
            {
                delays.Add(e.RetryDelay!.Value);
                _ = h.Engine.GetRun(handle.RunId); // the engine's lock: the retry's timer is armed once it is free
                h.Clock.Advance(e.RetryDelay.Value);
            }
        }

        Assert.Equal([TimeSpan.FromDays(1), TimeSpan.FromDays(60), TimeSpan.FromDays(60)], delays);
        Assert.Equal(TaskState.Succeeded, handle.Snapshot().Tasks[0].State);
    }

    [Fact]
    public async Task Sleep60Days_EndsAfter60Days()
    {
        // The handler itself, so its timer is armed when ExecuteAsync returns: through an engine,
        // TaskStarted is said at the claim, and moving the clock before the slot arms the timer would
        // start the 60 days from the moved clock.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var sleeping = new Weft.Handlers.SleepHandler()
            .ExecuteAsync(Weft.Tests.Handlers.Invocations.For(new SleepSpec(TimeSpan.FromDays(60))) with { TimeProvider = clock });

        clock.Advance(TimeSpan.FromDays(59));
        Assert.False(sleeping.IsCompleted);
        clock.Advance(TimeSpan.FromDays(1));

        var outcome = await sleeping.AsTask().WaitAsync(EngineHarness.HardLimit);
        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
    }
}
