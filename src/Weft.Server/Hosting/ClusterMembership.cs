using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Weft.Cluster;
using Weft.Hosting;

namespace Weft.Server.Hosting;

/// <summary>A host on a cluster store (<c>UsePostgres</c>) is a cluster member, as
/// <c>weft server --store postgres://…</c> is: a worker of its own runs tasks at once (with the
/// builder's functions and handlers; on NATS with <c>UseNats</c>), the host's start waits as a standby while another member leads,
/// and once it leads its engine schedules the cluster. If another member took over while this one's
/// lock had lapsed, the host stops, for its supervisor to start it again as a standby.</summary>
internal sealed partial class ClusterMembership(
    WeftBuilder builder,
    Func<IServiceProvider, WeftEngine> createEngine,
    IOptions<WeftServerOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<ClusterMembership> logger) : IAsyncDisposable
{
    // The host's own worker: of the store's queue, or of the NATS transport when the host has one.
    private Func<TimeSpan, CancellationToken, Task>? _stopWorker;
    private SchedulerLeadership? _leadership;
    private CancellationTokenRegistration _deposed;

    /// <summary>The engine scheduling the cluster, once this host leads; null before.</summary>
    public WeftEngine? Engine => _leadership?.Engine;

    /// <summary>Starts the host's worker, then waits (as a standby) until this host leads.</summary>
    public async Task JoinAsync(IClusterStore store, IServiceProvider services, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var worker = new ClusterWorkerOptions
        {
            // Unique in the cluster even with several hosts in one process (tests, side-by-side apps).
            Name = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}",
            OnLog = Log,
        };
        if (o.WorkersSet)
        {
            worker.Slots = o.Workers;
        }

        builder.ConfigureWorker(services, worker);
        if (services.GetService(typeof(Nats.NatsTransport)) is Nats.NatsTransport nats)
        {
            // UseNats: the leader hands tasks to NATS, so the host's worker takes them from there.
            var natsWorker = await nats.StartWorkerAsync(worker, cancellationToken).ConfigureAwait(false);
            _stopWorker = (drain, _) => natsWorker.StopAsync(drain);
            Log($"worker {worker.Name} running with {worker.Slots} slots on NATS {nats.Describe()}; taking the lead of the cluster when it is free");
        }
        else
        {
            var storeWorker = await ClusterWorker.StartAsync(store, worker, cancellationToken).ConfigureAwait(false);
            _stopWorker = storeWorker.StopAsync;
            Log($"worker {worker.Name} running with {worker.Slots} slots; taking the lead of the cluster when it is free");
        }

        _leadership = await SchedulerLeadership.AcquireAsync(store, () => createEngine(services), Log, cancellationToken).ConfigureAwait(false);
        _deposed = _leadership.Deposed.Register(() =>
        {
            LogDeposed(logger);
            lifetime.StopApplication();
        });
    }

    /// <summary>Gives up the lead (the runs stay in the store for the next leader) and stops the worker,
    /// letting its running tasks finish within <paramref name="drain"/>.</summary>
    public async Task LeaveAsync(TimeSpan drain, CancellationToken cancellationToken)
    {
        await _deposed.DisposeAsync().ConfigureAwait(false);
        if (Interlocked.Exchange(ref _leadership, null) is { } leadership)
        {
            await leadership.DisposeAsync().ConfigureAwait(false);
        }

        if (Interlocked.Exchange(ref _stopWorker, null) is { } stopWorker)
        {
            await stopWorker(drain, cancellationToken).ConfigureAwait(false);
        }
    }

    // A start that never finished (cancelled as a standby) has no StopAsync: the container ends it here.
    public async ValueTask DisposeAsync() => await LeaveAsync(TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);

    private void Log(string message) => LogCluster(logger, message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Weft cluster: {Message}")]
    private static partial void LogCluster(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Weft cluster: another member took over the scheduling while this host's lock had lapsed; stopping")]
    private static partial void LogDeposed(ILogger logger);
}
