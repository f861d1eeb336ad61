using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Weft.Server.Monitoring;

namespace Weft.Server;

/// <summary>Starts the engine with the host (so configuration errors stop the host at once, not at
/// the first request) and stops it with the host: running tasks are cancelled and waited for.</summary>
internal sealed partial class WeftHostedService(
    WeftEngine engine,
    MetricsExporter metrics,
    IOptions<WeftServerOptions> options,
    ILogger<WeftHostedService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.Start();
        LogStarted(logger, engine.Workers, options.Value.ReadOnly);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        LogStopping(logger, engine.GetStatus().ActiveRuns);
        await engine.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Weft engine started with {Slots} worker slots (read-only: {ReadOnly})")]
    private static partial void LogStarted(ILogger logger, int slots, bool readOnly);

    [LoggerMessage(Level = LogLevel.Information, Message = "Weft engine stopping; {ActiveRuns} active run(s) will be cancelled")]
    private static partial void LogStopping(ILogger logger, int activeRuns);
}
