using Weft.Caching;
using Weft.Monitoring;
using Weft.Storage;

namespace Weft;

// Health as the engine's users see it: the store, the monitor's alerts, the cache, retention.
public sealed partial class WeftEngine
{
    /// <summary>The last error the store gave (the journal writer retrying, a retention purge, a cluster
    /// read); null when healthy.</summary>
    public string? StoreError => _coord.StoreError;

    /// <summary>The store failure that made this engine stop recording (a full disk, a read-only or
    /// corrupt database: anything not <see cref="WeftStoreException.IsTransient"/>); null while the
    /// store works. From then on the engine records nothing, its unfinished runs fail their waiters
    /// with this exception (the store still has them unfinished, so a new engine can resume them once
    /// the store is fixed), and submitting or resuming throws it.</summary>
    public WeftStoreException? StoreFailure => _coord.Journal?.Failure;

    /// <summary>Runs purged by retention since the engine started.</summary>
    public long RunsPurged => _retention.Purged;

    /// <summary>Hits, misses, hit rate, evictions, entries and bytes of the result cache.</summary>
    public CacheStats GetCacheStats() => _cache.Results.Stats();

    /// <summary>True while memory is critical (working set above <see cref="MonitorOptions.CriticalBytes"/>,
    /// until it falls below <see cref="MonitorOptions.WarningBytes"/>): submissions wait, or fail with
    /// <see cref="WeftMemoryCriticalException"/> when they asked not to wait. Re-evaluated at each sample.</summary>
    public bool IsMemoryCritical
    {
        get
        {
            lock (_coord.Gate)
            {
                return _monitor.Critical;
            }
        }
    }

    /// <summary>True while new runs are held back: memory is critical (<see cref="IsMemoryCritical"/>) and
    /// some run still has tasks to finish, whose end is what frees memory. With nothing in flight intake
    /// never pauses (the pause could never end). A host refusing work early (before reading a request's
    /// body) asks this, not <see cref="IsMemoryCritical"/>.</summary>
    public bool IsIntakePaused
    {
        get
        {
            lock (_coord.Gate)
            {
                return _monitor.Critical && _coord.Scheduler.Counters.Outstanding > 0;
            }
        }
    }

    /// <summary>Worker crashes reported since the engine started (the <c>weft.worker.crashes</c> counter).</summary>
    internal long WorkerCrashes => _monitor.WorkerCrashes;

    /// <summary>The scheduler's counters, where <see cref="WeftMetrics"/> attaches its per-task instruments.</summary>
    internal EngineCounters Counters => _coord.Scheduler.Counters;

    /// <summary>The sampler of process readings; tests substitute one to drive the alerts.</summary>
    internal IProcessSampler Sampler
    {
        get => _monitor.Sampler;
        set => _monitor.Sampler = value;
    }

    /// <summary>Samples the process and re-evaluates alerts now (the monitor does it every
    /// <see cref="MonitorOptions.SampleEvery"/>).</summary>
    internal void MonitorTick() => _monitor.Sample();

    /// <summary>Reports that a worker died while it should have been working (see <see cref="MonitorService.ReportWorkerCrash"/>).</summary>
    internal void ReportWorkerCrash(string who, string detail) => _monitor.ReportWorkerCrash(who, detail);
}
