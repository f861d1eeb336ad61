using System.Diagnostics.Metrics;
using Weft.Monitoring;
using Weft.Tests.Scheduling;

namespace Weft.Tests.Monitoring;

/// <summary>The <c>worker_crash</c> alert and the <c>weft.worker.crashes</c> counter.</summary>
public sealed class WorkerCrashAlertTests
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

    [Fact]
    public async Task Crash_RaisesAlertThatDegradesHealth_UntilTheWindowAfterTheLastCrashHasPassed()
    {
        var (h, raised) = Create();
        await using (h)
        {
            h.Engine.ReportWorkerCrash("slot 3", "handler loop threw InvalidOperationException");
            var crashed = h.Engine.GetStatus();
            h.Clock.Advance(TimeSpan.FromMinutes(4));
            h.Engine.ReportWorkerCrash("slot 3", "again");
            h.Clock.Advance(TimeSpan.FromMinutes(4));
            var stillActive = h.Engine.GetStatus();
            h.Clock.Advance(TimeSpan.FromMinutes(1));
            var expired = h.Engine.GetStatus();

            Assert.Equal(["worker crash: slot 3: handler loop threw InvalidOperationException (at 00:00:00Z)"], crashed.Alerts);
            Assert.Equal(HealthState.Degraded, crashed.Health);
            Assert.Equal(["worker crash: slot 3: again (at 00:04:00Z; 2 crashes since 00:00:00Z)"], stillActive.Alerts);
            Assert.Equal(HealthState.Degraded, stillActive.Health);
            Assert.Empty(expired.Alerts);
            Assert.Equal(HealthState.Healthy, expired.Health);

            // A worker crashing in a loop is announced once per window, not once per crash.
            Assert.Equal(["worker crash: slot 3: handler loop threw InvalidOperationException"], raised);
        }
    }

    [Fact]
    public async Task Crash_AnotherWorkerInTheWindow_IsAnnouncedToo_AndAfterExpiryTheSameWorkerAgain()
    {
        var (h, raised) = Create();
        await using (h)
        {
            h.Engine.ReportWorkerCrash("worker-a", "lease expired");
            h.Engine.ReportWorkerCrash("worker-b", "lease expired");
            h.Clock.Advance(TimeSpan.FromMinutes(5));
            h.Engine.ReportWorkerCrash("worker-a", "lease expired");

            Assert.Equal(["worker crash: worker-a: lease expired", "worker crash: worker-b: lease expired", "worker crash: worker-a: lease expired"], raised);
            Assert.Equal(["worker crash: worker-a: lease expired (at 00:05:00Z)"], h.Engine.GetStatus().Alerts);
        }
    }

    [Fact]
    public async Task Crash_ConfiguredWindow_IsUsed()
    {
        await using var h = new EngineHarness(1, o => o.Monitor.WorkerCrashAlertFor = TimeSpan.FromSeconds(30));

        h.Engine.ReportWorkerCrash("slot 0", "boom");
        h.Clock.Advance(TimeSpan.FromSeconds(29));
        var active = h.Engine.GetStatus().Alerts.Count;
        h.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, active);
        Assert.Empty(h.Engine.GetStatus().Alerts);
    }

    [Fact]
    public async Task Crash_CountsInTheWorkerCrashesCounterOnTheWeftMeter()
    {
        await using var h = new EngineHarness(1);
        using var metrics = new WeftMetrics(h.Engine);
        long? seen = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter) && instrument.Name == "weft.worker.crashes")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => seen = value);
        listener.Start();

        h.Engine.ReportWorkerCrash("slot 0", "boom");
        h.Engine.ReportWorkerCrash("slot 1", "boom");
        listener.RecordObservableInstruments();

        Assert.Equal(2, seen);
    }

    [Fact]
    public void Options_BadWindowOrMargin_AreRefusedAtCreate()
    {
        var e = Assert.Throws<WeftConfigurationException>(() => WeftEngine.Create(o =>
        {
            o.Monitor.WorkerCrashAlertFor = TimeSpan.Zero;
            o.Monitor.SlowTaskMargin = TimeSpan.FromSeconds(-1);
        }));

        Assert.Contains(e.Errors, m => m.StartsWith("Monitor.WorkerCrashAlertFor must be positive", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.StartsWith("Monitor.SlowTaskMargin must not be negative", StringComparison.Ordinal));
    }
}
