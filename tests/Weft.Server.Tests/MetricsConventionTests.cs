using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Weft.Monitoring;

namespace Weft.Server.Tests;

/// <summary>The OpenTelemetry-style instruments of the <c>Weft</c> meter, read as a user's collector reads
/// them (an in-memory <see cref="MeterListener"/>) and as Prometheus scrapes them from <c>/metrics</c>:
/// names, instrument types, units and the tag values a dashboard would filter on.</summary>
public sealed class MetricsConventionTests
{
    // One task of each outcome: "fine" succeeds, "broken" fails, "after" is not run (upstream failed).
    private const string Measured = """
        name: measured
        tasks:
          fine:
            noop: {}
          broken:
            shell: 'exit 3'
          after:
            noop: {}
            dependsOn: [broken]
        """;

    [Fact]
    public async Task Listener_SeesTaskCountersAndHistograms_WithWorkflowKindAndOutcomeTags()
    {
        await using var server = await TestServer.StartAsync();
        var meter = server.Services.GetRequiredService<WeftMetrics>().Meter;
        var seen = new ConcurrentQueue<(Instrument Instrument, double Value, Dictionary<string, string?> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => seen.Enqueue((i, v, Tags(tags))));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => seen.Enqueue((i, v, Tags(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => seen.Enqueue((i, v, Tags(tags))));
        listener.Start();

        await server.WaitAsync(await server.SubmitAsync(Measured));
        listener.RecordObservableInstruments();

        var finished = seen.Where(s => s.Instrument.Name == "weft.tasks.finished").ToList();
        Assert.All(finished, f => Assert.IsType<Counter<long>>(f.Instrument));
        Assert.Equal("{task}", finished[0].Instrument.Unit);
        Assert.Equal(
            ["measured/noop/succeeded=1", "measured/noop/upstream_failed=1", "measured/shell/failed=1"],
            finished.Select(f => $"{f.Tags["weft.workflow"]}/{f.Tags["weft.kind"]}/{f.Tags["weft.outcome"]}={f.Value}").Order(StringComparer.Ordinal));

        var attempts = seen.Where(s => s.Instrument.Name == "weft.task.attempt.duration").ToList();
        Assert.All(attempts, a => Assert.IsType<Histogram<double>>(a.Instrument));
        Assert.Equal("s", attempts[0].Instrument.Unit);
        Assert.Equal(["noop/succeeded", "shell/failed"], attempts.Select(a => $"{a.Tags["weft.kind"]}/{a.Tags["weft.outcome"]}").Order(StringComparer.Ordinal));
        Assert.All(attempts, a => Assert.InRange(a.Value, 0, 30));

        var waits = seen.Where(s => s.Instrument.Name == "weft.task.queue.duration").ToList();
        Assert.All(waits, w => Assert.IsType<Histogram<double>>(w.Instrument));
        Assert.Equal(["measured/noop", "measured/shell"], waits.Select(w => $"{w.Tags["weft.workflow"]}/{w.Tags["weft.kind"]}").Order(StringComparer.Ordinal));
        Assert.DoesNotContain("weft.outcome", waits[0].Tags.Keys);

        var queue = seen.Where(s => s.Instrument.Name == "weft.queue.length").ToList();
        Assert.IsType<ObservableUpDownCounter<int>>(queue[0].Instrument);
        Assert.Equal(["critical", "high", "low", "normal"], queue.Select(q => q.Tags["weft.priority"]!).Order(StringComparer.Ordinal));
        Assert.Equal(["busy", "idle"], seen.Where(s => s.Instrument.Name == "weft.slots").Select(s => s.Tags["weft.state"]!).Order(StringComparer.Ordinal));
        Assert.Equal(4, seen.Single(s => s.Instrument.Name == "weft.workers.max").Value);
        Assert.Equal(0, seen.Single(s => s.Instrument.Name == "weft.runs.active").Value);
        Assert.Contains(seen, s => s.Instrument.Name == "weft.workers");
    }

    [Fact]
    public async Task Prometheus_ExportsHistogramsAsBucketsSumAndCount_CountersAsCounters_KeepingTheFirstNames()
    {
        await using var server = await TestServer.StartAsync();
        await server.WaitAsync(await server.SubmitAsync(Measured));
        await server.WaitAsync(await server.SubmitAsync(Measured));

        var text = await server.Client.GetStringAsync("/metrics");

        Assert.Contains("# TYPE weft_tasks_finished_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("\nweft_tasks_finished_total{weft_workflow=\"measured\",weft_kind=\"shell\",weft_outcome=\"failed\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("\nweft_tasks_finished_total{weft_workflow=\"measured\",weft_kind=\"noop\",weft_outcome=\"succeeded\"} 2\n", text, StringComparison.Ordinal);

        Assert.Contains("# TYPE weft_task_attempt_duration_seconds histogram\n", text, StringComparison.Ordinal);
        const string Labels = "weft_workflow=\"measured\",weft_kind=\"shell\",weft_outcome=\"failed\"";
        Assert.Contains($"\nweft_task_attempt_duration_seconds_bucket{{{Labels},le=\"+Inf\"}} 2\n", text, StringComparison.Ordinal);
        Assert.Contains($"\nweft_task_attempt_duration_seconds_count{{{Labels}}} 2\n", text, StringComparison.Ordinal);
        Assert.Matches($@"(?m)^weft_task_attempt_duration_seconds_sum\{{{Labels.Replace("\"", "\\\"", StringComparison.Ordinal)}\}} [0-9.eE+-]+$", text);
        Assert.Matches(@"(?m)^weft_task_attempt_duration_seconds_bucket\{[^}]*,le=""0\.001""\} \d+$", text);
        AssertBucketsCumulative(text, "weft_task_attempt_duration_seconds_bucket{" + Labels);

        Assert.Contains("# TYPE weft_task_queue_duration_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("\nweft_task_queue_duration_seconds_count{weft_workflow=\"measured\",weft_kind=\"noop\"} 2\n", text, StringComparison.Ordinal);

        Assert.Contains("# TYPE weft_queue_length gauge\n", text, StringComparison.Ordinal);
        Assert.Contains("\nweft_queue_length{weft_priority=\"normal\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE weft_slots gauge\n", text, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^weft_slots\{weft_state=""idle""\} \d+$", text);
        Assert.Contains("# TYPE weft_workers gauge\n", text, StringComparison.Ordinal);
        Assert.Contains("\nweft_workers_max 4\n", text, StringComparison.Ordinal);
        Assert.Contains("\nweft_runs_active 0\n", text, StringComparison.Ordinal);

        // The names users' dashboards already query are still there, with their types.
        Assert.Contains("# TYPE weft_tasks_succeeded_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("\nweft_tasks_failed_total 4\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE weft_queue_depth gauge\n", text, StringComparison.Ordinal);
        Assert.Contains("\nweft_worker_crashes 0\n", text, StringComparison.Ordinal);
        Assert.Contains("\nweft_working_set_bytes ", text, StringComparison.Ordinal);
    }

    private static void AssertBucketsCumulative(string text, string prefix)
    {
        var counts = text.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(counts.Count > 5, $"few buckets under {prefix}");
        Assert.Equal(counts.Order(), counts);
    }

    private static Dictionary<string, string?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            result[key] = value?.ToString();
        }

        return result;
    }
}
