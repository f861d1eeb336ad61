using Weft.Execution;
using Weft.Tests.Scheduling;
using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.Monitoring;

/// <summary>The <c>slow_task</c> alert: a running task past its usual run time by more than
/// <see cref="MonitorOptions.SlowTaskMargin"/>.</summary>
public sealed class SlowTaskAlertTests
{
    private static (EngineHarness Harness, List<string> Raised) Create()
    {
        var raised = new List<string>();
        var h = new EngineHarness(2, o => o.OnAlert = a =>
        {
            lock (raised)
            {
                raised.Add(a);
            }
        });
        return (h, raised);
    }

    /// <summary>Holds <paramref name="taskId"/> until the returned source is completed (or the
    /// attempt is cancelled, so a failed assertion cannot hang the engine's disposal).</summary>
    private static TaskCompletionSource Hold(EngineHarness h, string taskId)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Script.On(taskId, async inv =>
        {
            await release.Task.WaitAsync(inv.CancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            return release.Task.IsCompleted ? TaskOutcome.Succeeded(inv.TaskId) : TaskOutcome.Cancelled();
        });
        return release;
    }

    private static async Task<RunHandle> StartAsync(EngineHarness h, string taskId)
    {
        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(Def(taskId)));
        await h.WaitForEventAsync(handle.RunId, e => e.Kind == RunEventKind.TaskStarted);
        return handle;
    }

    [Fact]
    public async Task TaskUsually1s_Running10s_RaisesSlowTaskAlert_ClearedWhenItFinishes()
    {
        var (h, raised) = Create();
        await using (h)
        {
            var first = Hold(h, "fit");
            var learning = await StartAsync(h, "fit");
            h.Clock.Advance(TimeSpan.FromSeconds(1));
            first.SetResult();
            await learning.WaitAsync().WaitAsync(EngineHarness.HardLimit);

            var second = Hold(h, "fit");
            var slow = await StartAsync(h, "fit");
            h.Clock.Advance(TimeSpan.FromSeconds(10));
            h.Engine.MonitorTick();
            var during = h.Engine.GetStatus();

            var expected = $"slow task: run {slow.RunId} task 'fit' running 10 s (usually 1 s)";
            Assert.Equal([expected], during.Alerts);
            Assert.Equal(HealthState.Degraded, during.Health);
            Assert.Contains(expected, during.Reasons);
            // Announced once, by whichever sample first saw it slow (the clock's own ticks come every 5 s).
            var announced = Assert.Single(raised);
            Assert.Matches($@"^slow task: run {slow.RunId} task 'fit' running (7|8|9|10)(\.\d)? s \(usually 1 s\)$", announced);

            second.SetResult();
            await slow.WaitAsync().WaitAsync(EngineHarness.HardLimit);
            h.Engine.MonitorTick();
            var after = h.Engine.GetStatus();

            Assert.Empty(after.Alerts);
            Assert.Equal(HealthState.Healthy, after.Health);
        }
    }

    [Fact]
    public async Task WithinTheMargin_NoAlert()
    {
        var (h, raised) = Create();
        await using (h)
        {
            var first = Hold(h, "fit");
            var learning = await StartAsync(h, "fit");
            h.Clock.Advance(TimeSpan.FromSeconds(1));
            first.SetResult();
            await learning.WaitAsync().WaitAsync(EngineHarness.HardLimit);

            var second = Hold(h, "fit");
            var run = await StartAsync(h, "fit");
            h.Clock.Advance(TimeSpan.FromSeconds(6));
            h.Engine.MonitorTick();

            Assert.Empty(h.Engine.GetStatus().Alerts);
            Assert.Empty(raised);
            second.SetResult();
            await run.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        }
    }

    [Fact]
    public async Task NoUsualTimeKnown_NoAlertHoweverLongItRuns()
    {
        var (h, raised) = Create();
        await using (h)
        {
            var release = Hold(h, "fresh");
            var run = await StartAsync(h, "fresh");
            h.Clock.Advance(TimeSpan.FromMinutes(10));
            h.Engine.MonitorTick();

            Assert.Empty(h.Engine.GetStatus().Alerts);
            Assert.Empty(raised);
            release.SetResult();
            await run.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        }
    }

    [Fact]
    public async Task SecondSlowTask_IsAnnouncedToo_AndBothShowInOneAlert()
    {
        var (h, raised) = Create();
        await using (h)
        {
            var learnA = Hold(h, "a");
            var learnB = Hold(h, "b");
            var learning = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("a"), Def("b")));
            await h.WaitForEventAsync(learning.RunId, e => e.Kind == RunEventKind.TaskStarted && e.TaskId == "b");
            h.Clock.Advance(TimeSpan.FromSeconds(1));
            learnA.SetResult();
            learnB.SetResult();
            await learning.WaitAsync().WaitAsync(EngineHarness.HardLimit);

            var holdA = Hold(h, "a");
            var runA = await StartAsync(h, "a");
            h.Clock.Advance(TimeSpan.FromSeconds(7));
            h.Engine.MonitorTick();
            var holdB = Hold(h, "b");
            var runB = await StartAsync(h, "b");
            h.Clock.Advance(TimeSpan.FromSeconds(7));
            h.Engine.MonitorTick();

            var alert = Assert.Single(h.Engine.GetStatus().Alerts);
            Assert.StartsWith("slow tasks: ", alert);
            Assert.Contains($"run {runA.RunId} task 'a'", alert);
            Assert.Contains($"run {runB.RunId} task 'b'", alert);
            Assert.Equal(2, raised.Count);
            Assert.Contains($"run {runB.RunId} task 'b'", raised[1]);
            holdA.SetResult();
            holdB.SetResult();
            await Task.WhenAll(runA.WaitAsync(), runB.WaitAsync()).WaitAsync(EngineHarness.HardLimit);
        }
    }
}
