using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Weft.Monitoring;

namespace Weft.Server.Monitoring;

/// <summary>Serves <c>/metrics</c> in the Prometheus text format (0.0.4) from this engine's
/// <see cref="WeftMetrics"/> meter only, so two engines in one process do not mix series. Every
/// instrument of that meter is observable (read at scrape time), so a scrape is one
/// <see cref="MeterListener.RecordObservableInstruments"/>: an observable counter is exported as a
/// <c>counter</c>, a gauge as a <c>gauge</c>, with the instrument's description as its HELP.
/// (prometheus-net's meter adapter, used before, exported counters as gauges with a HELP text of
/// "(ObservableCounter`1)"; the exposition format is small enough to write here.)</summary>
internal sealed class MetricsExporter(WeftMetrics metrics) : IDisposable
{
    private readonly Lock _gate = new();
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
        foreach (var (instrument, values) in taken.OrderBy(p => p.Key.Name, StringComparer.Ordinal))
        {
            var name = SeriesName(instrument.Name);
            text.Append("# HELP ").Append(name).Append(' ').Append(Escape(instrument.Description ?? name)).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(IsCounter(instrument) ? "counter" : "gauge").Append('\n');
            foreach (var (value, tags) in values)
            {
                text.Append(name);
                if (tags.Length > 0)
                {
                    text.Append('{').AppendJoin(',', tags.Select(t => $"{SeriesName(t.Key)}=\"{EscapeLabel(Convert.ToString(t.Value, CultureInfo.InvariantCulture) ?? "")}\"")).Append('}');
                }

                text.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        return text.ToString();
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
        instrument.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(ObservableCounter<>);

    // Prometheus names allow [a-zA-Z_:][a-zA-Z0-9_:]*; instruments named with dots (OpenTelemetry style) map to underscores.
    private static string SeriesName(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] is '_' or ':') || (i == 0 && char.IsAsciiDigit(chars[i])))
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }

    private static string Escape(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeLabel(string value) => Escape(value).Replace("\"", "\\\"", StringComparison.Ordinal);
}
