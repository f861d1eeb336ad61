using Microsoft.Extensions.Time.Testing;
using Weft.Execution;
using Weft.Sqlite;
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

    [Fact]
    public async Task StopAsync_OnADurableStore_LeavesTheRunForResumeToFinish()
    {
        var path = Path.Combine(Path.GetTempPath(), $"weft-stop-{Guid.NewGuid():N}.db");
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        try
        {
            var first = new ScriptedHandler();
            first.BlockUntilCancelled("b");
            string runId;
            await using (var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { Path = path }))
            {
                var engine = Engine(store, first, clock);
                runId = (await engine.SubmitAsync(EngineHarness.Flow(Def("a"), Def("b", "a"), Def("c", "b")))).RunId;
                await EngineHarness.WaitUntilAsync(() => first.StartOrder.Contains("b"));
                var stop = engine.StopAsync(TimeSpan.FromSeconds(10)).AsTask();
                clock.Advance(TimeSpan.FromSeconds(10));
                await stop.WaitAsync(EngineHarness.HardLimit);
            }

            var second = new ScriptedHandler();
            await using var reopened = await SqliteStore.OpenAsync(new SqliteStoreOptions { Path = path });
            await using var resumed = Engine(reopened, second, clock);
            Assert.Equal([runId], await resumed.FindUnfinishedRunsAsync());

            var run = await (await resumed.ResumeAsync(runId)).WaitAsync().WaitAsync(EngineHarness.HardLimit);

            Assert.Equal(RunState.Succeeded, run.State);
            Assert.Equal(["b", "c"], second.StartOrder);
            var b = run.Tasks.Single(t => t.TaskId == "b");
            Assert.Equal(2, b.Attempts);
            Assert.Equal(TaskOutcomeStatus.Interrupted, b.AttemptHistory[0].Outcome);
        }
        finally
        {
            foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(path) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    private static WeftEngine Engine(Storage.IWeftStore store, ScriptedHandler script, TimeProvider time) => WeftEngine.Create(o =>
    {
        o.Workers = 2;
        o.Store = store;
        o.TimeProvider = time;
        o.Handlers.Add(script);
    });
}
