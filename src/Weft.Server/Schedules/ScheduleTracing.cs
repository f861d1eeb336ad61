using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Weft.Server.Monitoring;

namespace Weft.Server.Schedules;

/// <summary>Traces the runs the engine's schedules start, like the API's. A hosted service rather than a
/// line in the engine's factory: on a cluster the leader's engine is made elsewhere and handed in. The
/// engine is resolved at start, after <see cref="WeftHostedService"/> opened the store and created it.</summary>
internal sealed class ScheduleTracing(IServiceProvider services) : IHostedService
{
    private WeftEngine? _engine;
    private RunTracer? _tracer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _engine = services.GetRequiredService<WeftEngine>();
        _tracer = services.GetRequiredService<RunTracer>();
        _engine.Schedules.RunStarted += _tracer.Follow;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_engine is not null && _tracer is not null)
        {
            _engine.Schedules.RunStarted -= _tracer.Follow;
        }

        return Task.CompletedTask;
    }
}
