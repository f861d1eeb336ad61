using Weft.Execution;
using Weft.Tests.Scheduling;
using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.WorkerPool;

public sealed class GracefulStopTests
{
    [Fact]
    public async Task StopAsync_TaskFinishingWithinTheDrain_SucceedsAndNothingNewStarts()
    {
        await using var h = new EngineHarness(2);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Script.On("slow", async _ =>
        {
            await gate.Task;
            return TaskOutcome.Success;
        });
        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("slow"), Def("later", "slow")));
        await EngineHarness.WaitUntilAsync(() => h.Script.StartOrder.Contains("slow"));

        var stop = h.Engine.StopAsync(TimeSpan.FromSeconds(30)).AsTask();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => h.Engine.SubmitAsync(EngineHarness.Flow(Def("new"))).AsTask());
        Assert.False(stop.IsCompleted);
        gate.SetResult();
        await stop.WaitAsync(EngineHarness.HardLimit);

        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        Assert.Equal(RunState.Running, run.State); // unfinished, for a resume
        Assert.Equal(TaskState.Succeeded, run.Tasks[0].State);
        Assert.Equal(0, run.Tasks[1].Attempts);
        Assert.DoesNotContain("later", h.Script.StartOrder);
    }

    [Fact]
    public async Task StopAsync_TaskStillRunningAfterTheDrain_IsCancelledAndRecordedInterrupted()
    {
        await using var h = new EngineHarness(1);
        h.Script.BlockUntilCancelled("slow");
        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("slow")));
        await EngineHarness.WaitUntilAsync(() => h.Script.StartOrder.Contains("slow"));

        var stop = h.Engine.StopAsync(TimeSpan.FromSeconds(30)).AsTask();
        h.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(stop.IsCompleted);
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        await stop.WaitAsync(EngineHarness.HardLimit);

        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        Assert.Equal(RunState.Running, run.State);
        var attempt = Assert.Single(run.Tasks[0].AttemptHistory);
        Assert.Equal(TaskOutcomeStatus.Interrupted, attempt.Outcome);
        Assert.StartsWith("interrupted: the engine stopped", attempt.Error);
        Assert.Equal(0, h.Engine.GetStatus().Pool.Busy);
    }
}
