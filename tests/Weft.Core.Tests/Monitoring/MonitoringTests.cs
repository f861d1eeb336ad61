using Weft.Monitoring;
using Weft.Tests.Scheduling;
using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.Monitoring;

public sealed class MonitoringTests
{
    private const long Mb = 1024 * 1024;

    private sealed class FakeSampler : IProcessSampler
    {
        public long WorkingSet { get; set; } = 100 * Mb;

        public long Heap { get; set; } = 50 * Mb;

        public ProcessSample Sample() => new(WorkingSet, Heap, 0, 0, 0, TimeSpan.Zero, TimeSpan.Zero);
    }

    private static (EngineHarness Harness, FakeSampler Sampler, List<string> Alerts) Create()
    {
        var alerts = new List<string>();
        var h = new EngineHarness(2, o => o.OnAlert = a =>
        {
            lock (alerts)
            {
                alerts.Add(a);
            }
        });
        var sampler = new FakeSampler();
        h.Engine.Sampler = sampler;
        return (h, sampler, alerts);
    }

    [Fact]
    public async Task GetStatus_AfterRuns_ReportsQueueWaitAndRunTimePercentiles()
    {
        await using var h = new EngineHarness(2);
        await h.RunAsync(EngineHarness.Flow(Enumerable.Range(0, 20).Select(i => Def($"t{i}")).ToArray()));

        var status = h.Engine.GetStatus();

        Assert.Equal(20, status.QueueWait.Samples);
        Assert.Equal(20, status.RunTime.Samples);
        Assert.True(status.QueueWait.P50 <= status.QueueWait.P95 && status.QueueWait.P95 <= status.QueueWait.P99);
        Assert.Equal(20, status.TasksSucceeded);
        Assert.Equal(HealthState.Healthy, status.Health);
    }

    [Fact]
    public async Task Monitor_WorkingSetAboveWarning_RaisesAnAlertOnceAndDegradesHealth()
    {
        var (h, sampler, alerts) = Create();
        await using (h)
        {
            sampler.WorkingSet = 450 * Mb;
            h.Clock.Advance(TimeSpan.FromSeconds(5));
            h.Clock.Advance(TimeSpan.FromSeconds(5));

            var status = h.Engine.GetStatus();
            Assert.Equal(HealthState.Degraded, status.Health);
            Assert.Single(alerts);
            Assert.StartsWith("warning: working set 450 MB", alerts[0]);

            sampler.WorkingSet = 100 * Mb;
            h.Clock.Advance(TimeSpan.FromSeconds(5));
            Assert.Empty(h.Engine.GetStatus().Alerts);
        }
    }

    [Fact]
    public async Task Monitor_CriticalMemory_PausesIntakeUntilMemoryFalls()
    {
        var (h, sampler, _) = Create();
        await using (h)
        {
            h.Script.BlockUntilCancelled("busy");
            var busy = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("busy")));
            await EngineHarness.WaitUntilAsync(() => h.Script.Running == 1);
            sampler.WorkingSet = 900 * Mb;
            h.Clock.Advance(TimeSpan.FromSeconds(5));
            Assert.Equal(HealthState.Unhealthy, h.Engine.GetStatus().Health);

            var submitting = h.Engine.SubmitAsync(EngineHarness.Flow(Def("a"))).AsTask();
            Assert.False(submitting.IsCompleted);
            Assert.Equal([busy.RunId], h.Engine.RunIds());

            sampler.WorkingSet = 500 * Mb; // still above the warning level: stays critical
            h.Clock.Advance(TimeSpan.FromSeconds(5));
            Assert.False(submitting.IsCompleted);

            sampler.WorkingSet = 200 * Mb;
            h.Clock.Advance(TimeSpan.FromSeconds(5));
            var handle = await submitting.WaitAsync(EngineHarness.HardLimit);
            Assert.Equal(RunState.Succeeded, (await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);
            await h.Engine.CancelAsync(busy.RunId);
        }
    }

    [Fact]
    public async Task Monitor_CriticalMemory_WithNothingInFlight_LetsSubmissionsIn()
    {
        // Waiting would never end: no task is left whose end could free memory (the submission's own
        // plan may be what holds it, as for a run of a million tasks on an idle engine).
        var (h, sampler, _) = Create();
        await using (h)
        {
            sampler.WorkingSet = 900 * Mb;
            h.Clock.Advance(TimeSpan.FromSeconds(5));
            Assert.Equal(HealthState.Unhealthy, h.Engine.GetStatus().Health);

            var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("a"))).AsTask().WaitAsync(EngineHarness.HardLimit);

            Assert.Equal(RunState.Succeeded, (await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);
            var told = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("b")), options: new SubmitOptions { WaitIfMemoryCritical = false });
            Assert.Equal(RunState.Succeeded, (await told.WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);
        }
    }

    [Fact]
    public async Task Monitor_CriticalMemory_TheLastRunInFlightEnding_LetsTheWaitingSubmissionIn()
    {
        var (h, sampler, _) = Create();
        await using (h)
        {
            h.Script.BlockUntilCancelled("busy");
            var busy = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("busy")));
            await EngineHarness.WaitUntilAsync(() => h.Script.Running == 1);
            sampler.WorkingSet = 900 * Mb;
            h.Clock.Advance(TimeSpan.FromSeconds(5));
            var submitting = h.Engine.SubmitAsync(EngineHarness.Flow(Def("a"))).AsTask();
            Assert.False(submitting.IsCompleted);

            await h.Engine.CancelAsync(busy.RunId);
            await busy.WaitAsync().WaitAsync(EngineHarness.HardLimit);
            h.Clock.Advance(TimeSpan.FromSeconds(5)); // still critical, but nothing left in flight

            var handle = await submitting.WaitAsync(EngineHarness.HardLimit);
            Assert.Equal(RunState.Succeeded, (await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);
        }
    }

    [Fact]
    public async Task Monitor_HeapGrowingFastForThirtySeconds_RaisesALeakAlert()
    {
        var (h, sampler, alerts) = Create();
        await using (h)
        {
            for (var i = 0; i < 5; i++)
            {
                sampler.Heap += 100 * Mb; // 20 MB/s
                h.Clock.Advance(TimeSpan.FromSeconds(5));
            }

            Assert.DoesNotContain(alerts, a => a.StartsWith("possible leak", StringComparison.Ordinal));
            for (var i = 0; i < 3; i++)
            {
                sampler.Heap += 100 * Mb;
                h.Clock.Advance(TimeSpan.FromSeconds(5));
            }

            Assert.Contains(alerts, a => a.StartsWith("possible leak", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void ResourceMonitor_QueueBacklogLongerThanThreshold_RaisesBacklogAlert()
    {
        var monitor = new ResourceMonitor(new MonitorOptions());
        var t0 = DateTimeOffset.UnixEpoch;
        var sample = new ProcessSample(10 * Mb, 10 * Mb, 0, 0, 0, TimeSpan.Zero, TimeSpan.Zero);

        Assert.Empty(monitor.Observe(t0, sample, 60, [], []));
        Assert.Empty(monitor.Observe(t0.AddSeconds(20), sample, 80, [], []));
        var raised = monitor.Observe(t0.AddSeconds(30), sample, 80, [], []);

        Assert.Equal(["backlog: 80 tasks queued for 30 s (threshold 50)"], raised);
        Assert.Empty(monitor.Observe(t0.AddSeconds(35), sample, 10, [], []));
        Assert.Empty(monitor.Alerts);
    }
}
