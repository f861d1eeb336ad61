using System.Text;
using Microsoft.AspNetCore.Http;
using Prometheus;
using Weft.Monitoring;

namespace Weft.Server.Monitoring;

/// <summary>Serves <c>/metrics</c> in Prometheus text format with prometheus-net, from this engine's
/// <see cref="WeftMetrics"/> meter only. A registry of our own (not prometheus-net's global default)
/// keeps two servers in one process (tests, or two engines in a user's app) from mixing series.</summary>
internal sealed class MetricsExporter(WeftMetrics metrics) : IDisposable
{
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly Lock _gate = new();
    private IDisposable? _adapter;

    public void Start()
    {
        lock (_gate)
        {
            _adapter ??= MeterAdapter.StartListening(new MeterAdapterOptions
            {
                Registry = _registry,
                MetricFactory = Metrics.WithCustomRegistry(_registry),
                InstrumentFilterPredicate = instrument => ReferenceEquals(instrument.Meter, metrics.Meter),
            });
        }
    }

    public async Task WriteAsync(HttpContext context)
    {
        Start();
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        using var buffer = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(buffer, context.RequestAborted).ConfigureAwait(false);

        // prometheus-net prefixes each series with its meter's name ("weft_"), and our instruments are
        // already named weft_… (the names other exporters see); drop the doubled prefix.
        var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length).Replace("weft_weft_", "weft_", StringComparison.Ordinal);
        await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _adapter?.Dispose();
            _adapter = null;
        }
    }
}
