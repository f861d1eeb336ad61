using Weft.Caching;
using Weft.Cluster;
using Weft.Coordination;
using Weft.Definitions;
using Weft.Execution;
using Weft.Handlers;
using Weft.Monitoring;
using Weft.Planning;
using Weft.Registry;
using Weft.Scheduling;
using Weft.Services;
using Weft.Storage;
using Weft.WorkerPool;

namespace Weft;

/// <summary>The embeddable engine: submit workflows, wait for them, watch, query and cancel. A facade
/// over its parts: the <see cref="Coordinator"/> (the one writer of run state, behind one lock), a
/// dispatcher that brings started tasks to whoever runs them (<see cref="LocalSlotPool"/> embedded,
/// <see cref="ClusterQueueDispatcher"/> as a cluster's scheduler), the attempt executor, and the
/// background services listed once in the constructor.</summary>
public sealed partial class WeftEngine : IAsyncDisposable
{
    private readonly WeftOptions _options;
    private readonly TimeProvider _time;
    private readonly Coordinator _coord;
    private readonly Dictionary<string, ITaskHandler> _handlers;
    private readonly PlanBinder _planner;
    private readonly IWeftStore _store;
    private readonly bool _ownsStore;
    private readonly AttemptCache _cache;
    private readonly IDispatcher _dispatcher;
    private readonly LocalSlotPool? _pool;
    private readonly PoolScaler? _scaler;
    private readonly ClusterQueueDispatcher? _clusterQueue;
    private readonly ClusterIntake? _intake;
    private readonly MonitorService _monitor;
    private readonly RetentionService _retention;
    private readonly LeaseRenewal _leases;
    private readonly EngineServices _services;
    private readonly ChildWorkflows.ChildRuns _children;

    private WeftEngine(WeftOptions options)
    {
        _options = options;
        _time = options.TimeProvider;
        _ownsStore = options.Store is null;
        _store = options.Store ?? new MemoryStore();
        var durable = _store.IsDurable;
        _coord = new Coordinator(options, durable, _store is MemoryStore memory ? memory.SaveFinal : null);
        _coord.Scheduler.OutstandingLimit = options.Cluster.MaxOutstanding;
        if (_store is MemoryStore live)
        {
            _coord.Scheduler.OnRunState = run => live.SaveState(run.RunId, run.State, run.StartedAt);
        }

        var results = new ResultCache(options.Cache, _time, durable ? _store : null);
        _cache = new AttemptCache(results, options.Cache);
        _handlers = HandlerTable.Create(Functions, options.Handlers, options.Http, options.Containers);
        _monitor = new MonitorService(_coord, options, results);
        _retention = new RetentionService(_coord, _store, options);
        var cluster = _store as IClusterStore;
        _planner = new PlanBinder(_coord, _handlers, Functions, _time, clustered: cluster is not null || options.Transport is not null, EngineTaskDefaults.From(options));
        _leases = new LeaseRenewal(_store, OwnerName, _time, enabled: durable && cluster is null);
        if (durable)
        {
            _coord.Journal = new JournalWriter(_coord, _store, _time) { StoreKeepsQueue = options.Transport is null };
        }

        if (options.Transport is { } transport)
        {
            // Tasks run on worker processes reached through the transport (with a cluster store too: the
            // store then keeps the record and the leadership, the transport carries the tasks).
            _dispatcher = transport.CreateDispatcher(new TransportContext(_coord, _cache, _time, _monitor.ReportWorkerCrash, _store));
        }
        else if (cluster is not null)
        {
            // Cluster scheduler: tasks run on worker processes, not on slots of this engine.
            _dispatcher = _clusterQueue = new ClusterQueueDispatcher(_coord, cluster, _store, _cache, options.Cluster, _time)
            {
                Resume = async (runId, token) => await ResumeAsync(runId, token).ConfigureAwait(false),
                OnWorkerLost = _monitor.ReportWorkerCrash,
            };
        }
        else
        {
            var attempts = new RunAttempts(new AttemptExecutor(options.Hooks, _time, options.Logger), _cache, _time, options.OutputLimitBytes);
            _dispatcher = _pool = new LocalSlotPool(_coord, attempts, options.Pool, _time) { OnCrash = _monitor.ReportWorkerCrash };
            _scaler = new PoolScaler(_coord, _pool, options.Pool, _time, () => CpuFraction is { } cpu ? cpu() : _monitor.CpuFraction());
        }

        if (cluster is not null)
        {
            // The cluster's scheduler takes up runs recorded by other processes, whatever carries its tasks.
            _intake = new ClusterIntake(cluster, options.Cluster, async token => await TakeUpUnfinishedRunsAsync(token).ConfigureAwait(false));
            if (options.Logger is { } logger)
            {
                // A host's logger hears what the cluster scheduler reports (SchedulerLeadership sets its own).
                ClusterLog = message => Logging.EngineLog.Cluster(logger, message);
            }
        }

        // Sensors poll through this process's http handler (a cluster's scheduler keeps its waits too).
        var sensor = new Waiting.WaitSensor(_coord, _handlers["http"], _time, options.OutputLimitBytes);
        _coord.Scheduler.OnPollDue = sensor.Start;
        _children = new ChildWorkflows.ChildRuns(this, _coord, _store, options.MaxWorkflowDepth);
        _coord.Scheduler.OnChildStart = _children.Start;
        _coord.Scheduler.OnChildDropped = _children.Drop;
        _coord.Dispatcher = _dispatcher;
        if (_coord.Journal is { } journal)
        {
            journal.Committed = _dispatcher.Committed;
        }

        var registry = _store as IRegistryStore ?? new MemoryRegistryStore();
        Workflows = new WorkflowRegistry(registry, _time, () => Schedules?.Wake(), _handlers.Keys);
        Schedules = new ScheduleService(this, registry, Workflows, _time, options.Schedules);

        // Every background service, in start and stop order: what makes new work stops before what
        // runs it, and what records it after both.
        _services = new EngineServices(
        [
            Schedules,
            new Waiting.SignalInbox(_coord, _store, options),
            _intake,
            _retention,
            _monitor,
            _scaler,
            _dispatcher,
            _coord.Journal,
            _leases,
        ]);
        _services.StartAll();
    }

    /// <summary>Creates and starts an engine. Throws <see cref="WeftConfigurationException"/> with every
    /// option error at once.</summary>
    public static WeftEngine Create(Action<WeftOptions>? configure = null)
    {
        var options = new WeftOptions();
        configure?.Invoke(options);
        var errors = options.Validate();
        return errors.Count > 0 ? throw new WeftConfigurationException(errors) : new WeftEngine(options);
    }

    /// <summary>Functions that <c>function:</c> tasks call.</summary>
    public FunctionRegistry Functions { get; } = new();

    /// <summary>The kinds this engine can run.</summary>
    public IReadOnlyCollection<string> Kinds => _handlers.Keys;

    /// <summary>The store this engine records runs in (for queries: listing runs, reading outputs).</summary>
    public IWeftStore Store => _store;

    /// <summary>Workflows registered by name and version, kept in the store (in memory when the store
    /// has no registry): they survive a restart and every engine on the store shares them.</summary>
    public WorkflowRegistry Workflows { get; }

    /// <summary>The schedules of registered workflows. With <see cref="ScheduleOptions.Enabled"/> (the
    /// default) the engine starts their runs in the background, tick by tick.</summary>
    public ScheduleService Schedules { get; }

    /// <summary>False once the engine is stopping or draining: a schedule tick is not claimed then, so
    /// another engine on the store starts it.</summary>
    internal bool AcceptsRuns => !_coord.Stopping && !_coord.Draining;

    /// <summary>The engine's background services in start and stop order (docs and tests list them).</summary>
    internal IReadOnlyList<string> ServiceNames => [.. _services.All.Select(s => s.Name)];

    /// <summary>Stops at once: active runs are cancelled (running tasks are cancelled and waited
    /// for). <see cref="StopAsync"/> stops gracefully instead.</summary>
    public ValueTask DisposeAsync() => ShutdownAsync(cancelRuns: true);

    private async ValueTask ShutdownAsync(bool cancelRuns)
    {
        List<RunExecution> active;
        lock (_coord.Gate)
        {
            if (!_coord.BeginStopping())
            {
                return;
            }

            // A cluster scheduler stopping leaves its runs to the next leader; an embedded engine cancels them.
            active = cancelRuns && !IsClusterScheduler ? [.. _coord.Runs.Values.Where(r => !r.State.IsFinal())] : [];
            foreach (var run in active)
            {
                _coord.Scheduler.Cancel(run);
            }
        }

        foreach (var run in active)
        {
            await run.Cancellation.CancelAsync().ConfigureAwait(false);
        }

        await _services.StopAllAsync().ConfigureAwait(false);
        _coord.Announce();
        await _cache.Results.DisposeAsync().ConfigureAwait(false);
        if (_ownsStore)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void ThrowIfStopping()
    {
        if (_coord.Stopping || _coord.Draining)
        {
            throw new ObjectDisposedException(nameof(WeftEngine));
        }

        if (_coord.Journal?.Failure is { } failure)
        {
            throw new WeftStoreException($"this engine stopped recording runs after the store failed: {failure.Message}", failure);
        }
    }
}
