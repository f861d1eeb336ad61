using System.Collections.Concurrent;
using Weft.Execution;
using Weft.Handlers;

namespace Weft.Cluster;

/// <summary>A worker process of a cluster (<c>weft worker</c>): claims tasks the leading scheduler
/// queued, runs each on a slot with the handler for its kind, and records the outcomes. Three loops:
/// claims (<see cref="ClaimLoopAsync"/>), heartbeats that renew the leases (<see cref="HeartbeatLoopAsync"/>),
/// and a group-committing completion writer (<see cref="FlushLoopAsync"/>). Each rides out store
/// outages with back-off; an outcome stays buffered until the store has it.
///
/// <para>What a crash means at each point: a task claimed but not completed is lost when its lease
/// runs out (<see cref="ClusterWorkerOptions.LeaseFor"/> after the last heartbeat) and the scheduler
/// runs it again (at-least-once); an outcome buffered but not yet written is lost the same way.</para></summary>
public sealed partial class ClusterWorker : IAsyncDisposable
{
    private static readonly TimeSpan DisposeFlushLimit = TimeSpan.FromSeconds(30);

    private readonly IClusterStore _store;
    private readonly TimeProvider _time;
    private readonly Action<string>? _log;
    private readonly int _slots;
    private readonly PrefetchBudget _prefetch;
    private readonly SemaphoreSlim _slotGate;
    private readonly string[] _queues;
    private readonly TimeSpan _leaseFor;
    private readonly TimeSpan _heartbeatEvery;
    private readonly TimeSpan _pollEvery;
    private readonly TimeSpan? _giveBackAfter;
    private readonly WorkerAttempts _attempts;
    private readonly ConcurrentDictionary<long, RunningTask> _running = new();
    private readonly AsyncSignal _slotFreed = new();
    private readonly CancellationTokenSource _stopClaiming = new();
    private readonly CancellationTokenSource _stopHeartbeat = new();
    private readonly long _startedAt;
    private readonly WorkerInfo _info;
    private readonly Lock _gate = new();
    private Task _claimLoop = Task.CompletedTask;
    private Task _heartbeatLoop = Task.CompletedTask;
    private Task _giveBackLoop = Task.CompletedTask;
    private Task? _stopping;
    private long _claimed;
    private long _firstClaimTicks = -1;

    private ClusterWorker(IClusterStore store, ClusterWorkerOptions options)
    {
        _store = store;
        _time = options.TimeProvider;
        _startedAt = _time.GetTimestamp();
        _log = options.OnLog;
        Name = options.Name;
        _slots = options.Slots;
        _prefetch = new PrefetchBudget(options.Slots, options.Prefetch ?? 4 * options.Slots, options.PrefetchWithin);
        _slotGate = new SemaphoreSlim(options.Slots);
        _queues = [.. options.Queues];
        _leaseFor = options.LeaseFor;
        _heartbeatEvery = options.HeartbeatEvery;
        _pollEvery = options.PollEvery;
        _giveBackAfter = options.GiveBackAfter;
        _attempts = new WorkerAttempts(Name, options);

        _info = new WorkerInfo { Name = Name, Queues = _queues, Tags = [.. options.Tags], Slots = _slots, StartedAt = _time.GetUtcNow() };
    }

    /// <summary>The worker's name in the cluster.</summary>
    public string Name { get; }

    /// <summary>The kinds this worker can run.</summary>
    public IReadOnlyCollection<string> Kinds => _attempts.Kinds;

    /// <summary>Counters since the worker started: tasks claimed and completed, tasks running now, and the time to the first claim (null before it).</summary>
    public ClusterWorkerStats Stats
    {
        get
        {
            var first = Interlocked.Read(ref _firstClaimTicks);
            return new ClusterWorkerStats(Interlocked.Read(ref _claimed), Interlocked.Read(ref _completed), _running.Count, first < 0 ? null : TimeSpan.FromTicks(first));
        }
    }

    /// <summary>Validates <paramref name="options"/> (throws <see cref="WeftConfigurationException"/> with every
    /// error), registers the worker (retrying while the store is unavailable, until <paramref name="cancellationToken"/>
    /// fires) and starts claiming.</summary>
    public static async Task<ClusterWorker> StartAsync(IClusterStore store, ClusterWorkerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new WeftConfigurationException(errors);
        }

        var worker = new ClusterWorker(store, options);
        var retry = new StoreRetry("register", worker._time, worker._log);
        while (true)
        {
            try
            {
                await store.RegisterWorkerAsync(worker._info, cancellationToken).ConfigureAwait(false);
                retry.Succeeded();
                break;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                await retry.FailedAsync(ex, cancellationToken).ConfigureAwait(false);
            }
        }

        worker._claimLoop = Task.Run(worker.ClaimLoopAsync, CancellationToken.None);
        worker._heartbeatLoop = Task.Run(worker.HeartbeatLoopAsync, CancellationToken.None);
        worker._giveBackLoop = Task.Run(worker.GiveBackLoopAsync, CancellationToken.None);
        worker._flushLoop = Task.Run(worker.FlushLoopAsync, CancellationToken.None);
        worker._log?.Invoke($"worker '{worker.Name}' started: {worker._slots} slots, queues {string.Join(", ", worker._queues)}");
        return worker;
    }

    /// <summary>Stops gracefully: stops claiming, lets running tasks finish for up to <paramref name="drain"/>,
    /// then cancels the rest and records them <see cref="TaskOutcomeStatus.Interrupted"/> ("worker stopping"),
    /// writes every outcome (retrying while the store is unavailable, until <paramref name="cancellationToken"/>
    /// fires), and unregisters. Calling it again returns the same stop.</summary>
    public Task StopAsync(TimeSpan drain, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return _stopping ??= StopCoreAsync(drain, cancellationToken);
        }
    }

    /// <summary>Stops without a drain: running tasks are interrupted at once (<see cref="StopAsync"/>), and a
    /// store that stays unavailable gets <see cref="DisposeFlushLimit"/> to take the last outcomes.</summary>
    public async ValueTask DisposeAsync()
    {
        using var limit = new CancellationTokenSource(DisposeFlushLimit, _time);
        await StopAsync(TimeSpan.Zero, limit.Token).ConfigureAwait(false);
    }

    private async Task StopCoreAsync(TimeSpan drain, CancellationToken cancellationToken)
    {
        await _stopClaiming.CancelAsync().ConfigureAwait(false);
        await _claimLoop.ConfigureAwait(false);
        await _giveBackLoop.ConfigureAwait(false);
        // Claimed ahead but not started: handed back at once rather than run during the drain.
        foreach (var waiting in _running.Values.Where(r => !r.Started))
        {
            waiting.Interrupt();
        }

        var running = _running.Values.ToArray();
        var all = Task.WhenAll(running.Select(r => r.Execution));
        if (!all.IsCompleted)
        {
            var drained = drain > TimeSpan.Zero ? Task.WhenAny(all, Task.Delay(drain, _time, cancellationToken)) : Task.CompletedTask;
            _log?.Invoke($"worker '{Name}' stopping: waiting up to {Definitions.Durations.Format(drain)} for {running.Length} running task(s)");
            await drained.ConfigureAwait(false);

            foreach (var task in running)
            {
                task.Interrupt();
            }

            await all.ConfigureAwait(false);
        }

        await FlushAllAsync(cancellationToken).ConfigureAwait(false);
        await _stopHeartbeat.CancelAsync().ConfigureAwait(false);
        await _heartbeatLoop.ConfigureAwait(false);
        try
        {
            await _store.UnregisterWorkerAsync(Name, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Its row then ages like a dead worker's; it holds no tasks, so nothing is lost.
            _log?.Invoke($"worker '{Name}' could not unregister ({ex.GetType().Name}: {ex.Message})");
        }

        _log?.Invoke($"worker '{Name}' stopped");
        _stopClaiming.Dispose();
        _stopHeartbeat.Dispose();
        _flushWhenEmpty.Dispose();
        _abandonFlush.Dispose();
    }
}
