namespace Weft.Cluster;

/// <summary>Runs a <see cref="WeftEngine"/> as the cluster's one scheduler while this process leads
/// (DESIGN.md "Modes": a PostgreSQL advisory lock). <c>AcquireAsync</c> waits as a standby until
/// the lock is free, then starts the engine, which takes up every unfinished run from the tables
/// (adopting attempts still out with workers). If the lock's connection breaks (the database restarts),
/// the engine stops dispatching and collecting, and leads again once it gets the lock back; if another
/// scheduler got it meanwhile, <see cref="Deposed"/> fires and this one must stop.
/// <para>What <c>weft server --store postgres://…</c> and a host with <c>UsePostgres</c> run; an app
/// that schedules a cluster by hand holds one while it leads and disposes it to step down.</para></summary>
public sealed class SchedulerLeadership : IAsyncDisposable
{
    private readonly IClusterStore _store;
    private readonly Action<string> _log;
    private readonly CancellationTokenSource _deposed = new();
    private readonly CancellationTokenSource _stop = new();
    private ILeadership _lease;
    private Task? _watch;

    private SchedulerLeadership(IClusterStore store, ILeadership lease, WeftEngine engine, Action<string> log)
    {
        _store = store;
        _lease = lease;
        Engine = engine;
        _log = log;
    }

    /// <summary>The engine scheduling the cluster (its store is the cluster store).</summary>
    public WeftEngine Engine { get; }

    /// <summary>Fires when another scheduler took over while this one's lock had lapsed: stop serving.</summary>
    public CancellationToken Deposed => _deposed.Token;

    /// <summary>Waits (as a standby, trying every <paramref name="retryEvery"/>, default 1 s) until this
    /// process leads, then starts the scheduling engine on <paramref name="store"/>.</summary>
    internal static Task<SchedulerLeadership> AcquireAsync(
        IClusterStore store, Action<WeftOptions>? configure = null, Action<string>? log = null, TimeSpan? retryEvery = null, CancellationToken cancellationToken = default) =>
        AcquireAsync(store, () => WeftEngine.Create(o =>
        {
            configure?.Invoke(o);
            o.Store = store;
            o.Cluster.Schedule = true;
        }), log, retryEvery, cancellationToken);

    /// <summary>Waits as a standby (trying the lock every second; <paramref name="log"/> hears
    /// <c>standby: …</c> once) until this process leads the cluster of <paramref name="store"/>, then
    /// calls <paramref name="createEngine"/> for the scheduling engine, which takes up the cluster's
    /// unfinished runs. The engine must be created on <paramref name="store"/> with
    /// <see cref="Cluster.ClusterSchedulingOptions.Schedule"/> set; otherwise the lock is given back and
    /// <see cref="InvalidOperationException"/> is thrown. Cancelling <paramref name="cancellationToken"/>
    /// ends the wait.</summary>
    public static Task<SchedulerLeadership> AcquireAsync(IClusterStore store, Func<WeftEngine> createEngine, Action<string>? log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(createEngine);
        return AcquireAsync(store, createEngine, log, null, cancellationToken);
    }

    private static async Task<SchedulerLeadership> AcquireAsync(
        IClusterStore store, Func<WeftEngine> createEngine, Action<string>? log, TimeSpan? retryEvery, CancellationToken cancellationToken)
    {
        log ??= static _ => { };
        var every = retryEvery ?? TimeSpan.FromSeconds(1);
        var announced = false;
        while (true)
        {
            ILeadership? lease = null;
            try
            {
                lease = await store.TryLeadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log($"cannot reach the store to take the lead ({ex.Message}); retrying");
            }

            if (lease is not null)
            {
                WeftEngine engine;
                try
                {
                    engine = createEngine();
                    if (!ReferenceEquals(engine.Store, store) || !engine.IsClusterScheduler)
                    {
                        await engine.DisposeAsync().ConfigureAwait(false);
                        throw new InvalidOperationException("the engine that schedules a cluster must be created on the cluster's store with Cluster.Schedule set");
                    }
                }
                catch
                {
                    await lease.DisposeAsync().ConfigureAwait(false);
                    throw;
                }

                engine.ClusterLog = log;
                log("leading: this process schedules the cluster");
                var leadership = new SchedulerLeadership(store, lease, engine, log);
                leadership._watch = Task.Run(leadership.WatchAsync);
                return leadership;
            }

            if (!announced)
            {
                log("standby: another scheduler leads; waiting to take over");
                announced = true;
            }

#pragma warning disable RS0030 // Real time on purpose: a standby polls a real database's lock; no engine clock exists yet.
            await Task.Delay(every, cancellationToken).ConfigureAwait(false);
#pragma warning restore RS0030
        }
    }

    // A lapsed lock: suspend, win it back (the database may take a while to return), or step down.
    private async Task WatchAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var either = CancellationTokenSource.CreateLinkedTokenSource(_lease.Lost, _stop.Token);
                await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, either.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            if (_stop.IsCancellationRequested)
            {
                return;
            }

            Engine.SuspendCluster(true);
            _log("leadership lock lost (database connection broke); suspended, trying to lead again");
            await _lease.DisposeAsync().ConfigureAwait(false);
            var pause = TimeSpan.FromMilliseconds(100);
            while (!_stop.IsCancellationRequested)
            {
                ILeadership? again = null;
                var reached = false;
                try
                {
                    again = await _store.TryLeadAsync(_stop.Token).ConfigureAwait(false);
                    reached = true;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Still down: keep trying.
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                if (again is not null)
                {
                    _lease = again;
                    Engine.SuspendCluster(false);
                    _log("leading again");
                    break;
                }

                if (reached)
                {
                    _log("another scheduler leads now; this one steps down");
                    await _deposed.CancelAsync().ConfigureAwait(false);
                    return;
                }

                try
                {
#pragma warning disable RS0030 // Real time on purpose: back-off while a real database is away.
                    await Task.Delay(pause, _stop.Token).ConfigureAwait(false);
#pragma warning restore RS0030
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }

    /// <summary>Stops the engine (its runs stay in the store for the next leader) and gives up the lock.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_watch is not null)
        {
            await _watch.ConfigureAwait(false);
        }

        await Engine.DisposeAsync().ConfigureAwait(false);
        await _lease.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
