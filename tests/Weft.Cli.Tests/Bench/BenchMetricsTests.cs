using System.Diagnostics.Metrics;
using Weft.Cli;

namespace Weft.Tests.Bench;

/// <summary><c>weft bench --metrics</c>: the benchmark's engines record their metrics as a server's do, so the
/// figures include that cost. Seen from outside through a listener of the <c>Weft</c> meter: without the
/// flag an engine has no meter at all (nothing is recorded per task), with it every task is counted.</summary>
public sealed class BenchMetricsTests
{
    [Fact]
    public async Task WithMetrics_EveryTaskOfTheBenchmarkIsRecordedOnTheWeftMeter()
    {
        long finished = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Weft" && instrument.Name == "weft.tasks.finished")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref finished, value));
        listener.Start();

        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await WeftCli.InvokeAsync(["bench", "W2", "--runs", "1", "--metrics"], CliIo.Redirected(output, error));

        Assert.True(exit == 0, error.ToString());
        Assert.Contains("metrics: each engine's are listened to", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("W2 ", output.ToString(), StringComparison.Ordinal);
        // W2 is a chain of 2,000 tasks, run at least 4 times (3 warm-up runs and the timed one).
        Assert.True(Interlocked.Read(ref finished) >= 4 * 2_000, $"{finished} tasks recorded");
    }
}
