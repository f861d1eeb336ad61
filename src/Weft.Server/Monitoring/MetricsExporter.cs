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
                InstrumentFilterPredicate = instrument => ReferenceEquals(instrument.Meter, metrics.Meter),
            });
        }
    }

    public async Task WriteAsync(HttpContext context)
    {
        Start();
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await _registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
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
