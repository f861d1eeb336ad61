using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Weft.Monitoring;

namespace Weft.Server.Monitoring;

/// <summary>Serves <c>/metrics</c> in the Prometheus text format (0.0.4) from this engine's
/// <see cref="WeftMetrics"/> meter only, so two engines in one process do not mix series. Observable
/// instruments are read at scrape time (one <see cref="MeterListener.RecordObservableInstruments"/>); the
/// instruments the engine records into as tasks move are summed as they arrive (<see cref="RecordedSeries"/>).
/// Types as Prometheus means them: counters (<c>counter</c>), histograms (<c>histogram</c>: cumulative
/// <c>_bucket{le=…}</c>, <c>_sum</c>, <c>_count</c>), everything else <c>gauge</c>; the HELP is the
/// instrument's description, the series name <see cref="PrometheusNames.Series"/>.
/// (prometheus-net's meter adapter, used before, exported counters as gauges with a HELP text of
/// "(ObservableCounter`1)"; the exposition format is small enough to write here.)</summary>
internal sealed class MetricsExporter(WeftMetrics metrics) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly RecordedSeries _recorded = new(instrument => IsHistogram(instrument) ? Buckets(instrument) : null);
    private MeterListener? _listener;
    private Dictionary<Instrument, List<(double Value, KeyValuePair<string, object?>[] Tags)>>? _scrape;

    public void Start()
    {
        lock (_gate)
        {
            if (_listener is not null)
            {
                return;
            }

            var listener = new MeterListener
            {
                InstrumentPublished = (instrument, l) =>
                {
                    if (ReferenceEquals(instrument.Meter, metrics.Meter))
                    {
                        l.EnableMeasurementEvents(instrument);
                    }
                },
            };
            listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
            listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
            listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
            listener.Start();
            _listener = listener;
        }
    }

    public async Task WriteAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await context.Response.WriteAsync(Scrape(), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>One scrape, as Prometheus text.</summary>
    internal string Scrape()
    {
        Start();
        Dictionary<Instrument, List<(double Value, KeyValuePair<string, object?>[] Tags)>> taken;
        lock (_gate)
        {
            _scrape = [];
            _listener!.RecordObservableInstruments();
            taken = _scrape;
            _scrape = null;
        }

        var text = new StringBuilder();
        var instruments = taken.Keys.Concat(_recorded.Instruments).Distinct().OrderBy(i => PrometheusNames.Series(i, IsCounter(i)), StringComparer.Ordinal);
        foreach (var instrument in instruments)
        {
            var histogram = IsHistogram(instrument);
            var name = PrometheusNames.Series(instrument, IsCounter(instrument));
            text.Append("# HELP ").Append(name).Append(' ').Append(Escape(instrument.Description ?? name)).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(histogram ? "histogram" : IsCounter(instrument) ? "counter" : "gauge").Append('\n');
            if (taken.TryGetValue(instrument, out var observed))
            {
                foreach (var (value, tags) in observed)
                {
                    Sample(text, name, tags, null, value);
                }
            }

            foreach (var (tags, values) in _recorded.Read(instrument))
            {
                if (!histogram)
                {
                    Sample(text, name, tags, null, values.Sum);
                    continue;
                }

                for (var i = 0; i < values.Cumulative.Length; i++)
                {
                    var le = i < values.Bounds.Count ? values.Bounds[i].ToString("R", CultureInfo.InvariantCulture) : "+Inf";
                    Sample(text, name + "_bucket", tags, le, values.Cumulative[i]);
                }

                Sample(text, name + "_sum", tags, null, values.Sum);
                Sample(text, name + "_count", tags, null, values.Count);
            }
        }

        return text.ToString();
    }

    private static void Sample(StringBuilder text, string name, KeyValuePair<string, object?>[] tags, string? le, double value)
    {
        text.Append(name);
        if (tags.Length > 0 || le is not null)
        {
            var labels = tags.Select(t => $"{PrometheusNames.Sanitize(t.Key)}=\"{EscapeLabel(Convert.ToString(t.Value, CultureInfo.InvariantCulture) ?? "")}\"");
            text.Append('{').AppendJoin(',', le is null ? labels : labels.Append($"le=\"{le}\"")).Append('}');
        }

        text.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _listener?.Dispose();
            _listener = null;
        }
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!instrument.IsObservable)
        {
            // A task started or finished, on the scheduler's thread.
            _recorded.Add(instrument, value, tags);
            return;
        }

        // Called inside RecordObservableInstruments, on the scraping thread, under _gate.
        if (_scrape is null)
        {
            return;
        }

        if (!_scrape.TryGetValue(instrument, out var values))
        {
            _scrape[instrument] = values = [];
        }

        values.Add((value, tags.ToArray()));
    }

    private static bool IsCounter(Instrument instrument) =>
        instrument.GetType() is { IsGenericType: true } type
        && (type.GetGenericTypeDefinition() == typeof(ObservableCounter<>) || type.GetGenericTypeDefinition() == typeof(Counter<>));

    private static bool IsHistogram(Instrument instrument) =>
        instrument.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(Histogram<>);

    private static IReadOnlyList<double> Buckets(Instrument instrument) =>
        (instrument as Histogram<double>)?.Advice?.HistogramBucketBoundaries ?? DefaultBuckets;

    // OpenTelemetry's default boundaries, for a histogram that gives no advice.
    private static readonly double[] DefaultBuckets = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private static string Escape(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeLabel(string value) => Escape(value).Replace("\"", "\\\"", StringComparison.Ordinal);
}
