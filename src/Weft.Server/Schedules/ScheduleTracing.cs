using Microsoft.Extensions.Hosting;
using Weft.Server.Monitoring;

namespace Weft.Server.Schedules;

/// <summary>Traces the runs the engine's schedules start, like the API's. A hosted service rather than a
/// line in the engine's factory: on a cluster the leader's engine is made elsewhere and handed in.</summary>
internal sealed class ScheduleTracing(WeftEngine engine, RunTracer tracer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        engine.Schedules.RunStarted += tracer.Follow;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        engine.Schedules.RunStarted -= tracer.Follow;
        return Task.CompletedTask;
    }
}
