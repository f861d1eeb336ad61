using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Weft.Server.Hosting;
using Weft.Server.Monitoring;
using Weft.Server.Security;

namespace Weft.Server;

/// <summary>Starts the engine with the host (so configuration errors stop the host at once, not at
/// the first request) and stops it with the host, gracefully: no new task starts, running tasks get
/// <see cref="WeftServerOptions.ShutdownDrain"/> to finish, then are cancelled and recorded as
/// interrupted, and unfinished runs stay in the store to resume. In a
/// user's own ASP.NET app it also checks, once the server listens, that an open API is not reachable
/// beyond loopback, and stops the app if it is.</summary>
internal sealed partial class WeftHostedService(
    WeftStoreLifetime store,
    ClusterMembership cluster,
    IOptions<WeftServerOptions> options,
    IHostApplicationLifetime lifetime,
    IServiceProvider services,
    ILogger<WeftHostedService> logger) : IHostedService
{
    private WeftEngine? _engine;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The store first (asynchronously), then the engine on it: resolved here rather than injected, so
        // the host's start is where a bad store or bad options surface, every option problem together.
        await store.OpenAsync(services, cancellationToken).ConfigureAwait(false);
        if (store.OpenedStore(services) is Cluster.IClusterStore clusterStore)
        {
            // A cluster member: its worker starts now, and its engine once it leads (waiting as a standby).
            await cluster.JoinAsync(clusterStore, services, cancellationToken).ConfigureAwait(false);
        }

        var engine = _engine = services.GetRequiredService<WeftEngine>();
        services.GetRequiredService<MetricsExporter>().Start();
        LogStarted(logger, engine.Workers, options.Value.ReadOnly);
        lifetime.ApplicationStarted.Register(CheckAddresses);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_engine is not { } engine)
        {
            return;
        }

        var drain = options.Value.ShutdownDrain;
        LogStopping(logger, engine.GetStatus().ActiveRuns, drain.TotalSeconds);
        await engine.StopAsync(drain, cancellationToken).ConfigureAwait(false);
        await cluster.LeaveAsync(drain, cancellationToken).ConfigureAwait(false);
    }

    // Addresses are known only once the server listens, after hosted services started.
    private void CheckAddresses()
    {
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var error in ListenCheck.Check(addresses, options.Value))
        {
            LogRefused(logger, error);
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Weft engine started with {Slots} worker slots (read-only: {ReadOnly})")]
    private static partial void LogStarted(ILogger logger, int slots, bool readOnly);

    [LoggerMessage(Level = LogLevel.Information, Message = "Weft engine stopping; running tasks of {ActiveRuns} active run(s) get {DrainSeconds} s to finish, then are interrupted (runs stay unfinished, to resume)")]
    private static partial void LogStopping(ILogger logger, int activeRuns, double drainSeconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Weft: {Error}; stopping")]
    private static partial void LogRefused(ILogger logger, string error);
}
