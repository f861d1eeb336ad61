using System.Runtime.CompilerServices;
using Weft.Definitions;
using Weft.Execution;
using Weft.Handlers;
using Weft.Planning;
using Weft.Scheduling;
using Weft.Storage;

namespace Weft;

/// <summary>The embeddable engine: submit workflows, wait for them, watch, query and cancel.
/// All run state changes happen in the <see cref="Scheduler"/> under one lock (one logical
/// writer); worker slots take that lock to report outcomes and have ready tasks handed to their
/// own queues, which they drain (and steal from) without it.</summary>
public sealed partial class WeftEngine : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly WeftOptions _options;
    private readonly TimeProvider _time;
    private readonly Scheduler _scheduler;
    private readonly Dictionary<string, RunExecution> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ITaskHandler> _handlers;
    private readonly AttemptExecutor _attempts;
    private readonly ConditionalWeakTable<WorkflowDefinition, ExecutionPlan> _plans = [];
    private readonly DurationEstimates _durations = new();
    private readonly IWeftStore _store;
    private readonly bool _ownsStore;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly bool _durable;
    private readonly Limits.GateRegistry _gates;
    private int _idle;
    private bool _stopping;

    private WeftEngine(WeftOptions options)
    {
        _options = options;
        _time = options.TimeProvider;
        _gates = new Limits.GateRegistry(options);
        _scheduler = new Scheduler(_time, options.RandomSeed is { } seed ? new Random(seed) : new Random(), OnRetryDue)
        {
            OnBreakerDue = OnBreakerDue,
            OnRateDue = OnRateDue,
            Resources = _gates.Resources,
        };
        _scheduler.Ready.Configure(ReadyQueueSettings.From(options));
        _ownsStore = options.Store is null;
        _store = options.Store ?? new MemoryStore();
        _durable = _store.IsDurable;
        _cache = new Caching.ResultCache(options.Cache, _time, _durable ? _store : null);
        if (_durable)
        {
            _scheduler.Journal = [];
            _writer = Task.Run(JournalWriterLoopAsync);
        }

        _handlers = HandlerTable.Create(Functions, options.Handlers, options.Http);
        _attempts = new AttemptExecutor(options.Hooks, _time);

        StartRetention();
        StartMonitor();
        if (_store is not Cluster.IClusterStore)
        {
            StartLeaseRenewal();
        }

        StartSchedules();
        if (_store is Cluster.IClusterStore cluster)
        {
            // Cluster scheduler: tasks run on worker processes, not on slots of this engine.
            StartCluster(cluster);
            return;
        }

        StartPool();
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

    /// <summary>Stops at once: active runs are cancelled (running tasks are cancelled and waited
    /// for). <see cref="StopAsync"/> stops gracefully instead.</summary>
    public ValueTask DisposeAsync() => ShutdownAsync(cancelRuns: true);

    private async ValueTask ShutdownAsync(bool cancelRuns)
    {
        List<RunExecution> active;
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;

            // A cluster scheduler stopping leaves its runs to the next leader; an embedded engine cancels them.
            active = cancelRuns && _cluster is null ? [.. _runs.Values.Where(r => !r.State.IsFinal())] : [];
            foreach (var run in active)
            {
                _scheduler.Cancel(run);
            }
        }

        foreach (var run in active)
        {
            await run.Cancellation.CancelAsync().ConfigureAwait(false);
        }

        await StopSchedulesAsync().ConfigureAwait(false);
        await StopRetentionAsync().ConfigureAwait(false);
        await StopMonitorAsync().ConfigureAwait(false);
        await StopSlotsAsync().ConfigureAwait(false);
        await StopClusterAsync().ConfigureAwait(false);
        Announce();
        if (_writer is not null)
        {
            _workersDone = true;
            _writerSignal.Release();

            // Give a failing store a bounded time to take the last batch; then stop trying.
#pragma warning disable RS0030 // Real time on purpose: a bound on a real store's last commit at shutdown, whatever the engine's clock.
            if (await Task.WhenAny(_writer, Task.Delay(TimeSpan.FromSeconds(30))).ConfigureAwait(false) != _writer)
#pragma warning restore RS0030
            {
                _abandonWrites = true;
            }
        }

        await StopLeasesAsync().ConfigureAwait(false);
        await _cache.DisposeAsync().ConfigureAwait(false);
        if (_ownsStore)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
        }

        _wake.Dispose();
    }

    private void ThrowIfStopping()
    {
        if (Volatile.Read(ref _stopping) || Volatile.Read(ref _draining))
        {
            throw new ObjectDisposedException(nameof(WeftEngine));
        }

        if (_storeFailure is { } failure)
        {
            throw new WeftStoreException($"this engine stopped recording runs after the store failed: {failure.Message}", failure);
        }
    }
}
