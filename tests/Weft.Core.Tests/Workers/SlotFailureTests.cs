using System.Collections.Concurrent;
using Weft.Definitions;
using Weft.Tests.Scheduling;
using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.WorkerPool;

public sealed class SlotFailureTests
{
    private static readonly RetryPolicy TwoAttempts = new() { Strategy = RetryStrategy.Immediate, MaxAttempts = 2 };

    [Theory]
    [MemberData(nameof(Scheduling.Workers.Counts), MemberType = typeof(Scheduling.Workers))]
    public async Task SlotLoopCrash_TaskIsRetriedByItsPolicyAndTheSlotReplaced(int workers)
    {
        await using var h = new EngineHarness(workers);
        var crashes = new ConcurrentQueue<string>();
        h.Engine.SlotCrashed += crashes.Enqueue;
        var once = 0;
        h.Engine.SlotProbe = item =>
        {
            if (item.Run.Plan.TaskIds[item.Task] == "victim" && Interlocked.Exchange(ref once, 1) == 0)
            {
                throw new InvalidOperationException("boom");
            }
        };

        var run = await h.RunAsync(EngineHarness.Flow(Def("victim") with { Retry = TwoAttempts }, Def("after", "victim")));

        Assert.Equal(RunState.Succeeded, run.State);
        var victim = run.Tasks[0];
        Assert.Equal(2, victim.Attempts);
        Assert.Contains("crashed: InvalidOperationException: boom", victim.AttemptHistory[0].Error);
        Assert.Equal(workers, h.Engine.Workers);
        var pool = h.Engine.GetStatus().Pool;
        Assert.Equal(1, pool.SlotCrashes);
        Assert.Contains("replaced by slot", Assert.Single(pool.RecentEvents).Reason);
        Assert.Contains("boom", Assert.Single(crashes));
        Assert.Contains(h.Engine.GetStatus().Alerts, a => a.Contains("slot", StringComparison.Ordinal) && a.Contains("crash", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task SlotLoopCrash_WithoutRetries_FailsTheTaskInsteadOfLosingIt()
    {
        await using var h = new EngineHarness(1);
        h.Engine.SlotProbe = item => throw new InvalidOperationException("boom");

        var run = await h.RunAsync(EngineHarness.Flow(Def("victim") with { Retry = RetryPolicy.None }));

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(TaskState.Failed, run.Tasks[0].State);
        Assert.Equal(1, h.Engine.Workers);
    }

    [Fact]
    public async Task HandlerIgnoringCancellation_IsAbandonedAndItsSlotRunsTheNextTask()
    {
        await using var h = new EngineHarness(1);
        var never = new TaskCompletionSource<Execution.TaskOutcome>();
        h.Script.On("hang", _ => new ValueTask<Execution.TaskOutcome>(never.Task)); // ignores its token
        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("hang") with { Timeout = TimeSpan.FromSeconds(1) }, Def("next")));
        await EngineHarness.WaitUntilAsync(() => h.Script.StartOrder.Contains("hang"));

        // Timeout after 1 s, then the slot lets the handler go 5 s later; advance until it has.
        var done = handle.WaitAsync();
        using var limit = new CancellationTokenSource(EngineHarness.HardLimit);
        while (!done.IsCompleted)
        {
            h.Clock.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(1, limit.Token);
        }

        var run = await done;
        Assert.Equal(TaskState.TimedOut, run.Tasks[0].State);
        Assert.Equal(TaskState.Succeeded, run.Tasks[1].State);
        Assert.Equal(1, h.Engine.Workers);
        Assert.Equal(0, h.Engine.GetStatus().Pool.Busy);
    }
}
