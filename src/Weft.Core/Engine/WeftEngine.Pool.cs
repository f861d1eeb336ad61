using Weft.Scheduling;

namespace Weft;

// The worker pool as the engine's users and tests see it; the pool itself is WorkerPool/LocalSlotPool.
public sealed partial class WeftEngine
{
    /// <summary>Raised (on a timer thread, outside the engine lock) for every scaling decision and every
    /// replacement of a crashed slot.</summary>
    public event Action<PoolEvent>? PoolChanged
    {
        add
        {
            if (_pool is not null)
            {
                _pool.Changed += value;
            }
        }

        remove
        {
            if (_pool is not null)
            {
                _pool.Changed -= value;
            }
        }
    }

    /// <summary>Raised when a slot's loop crashed (not a handler failure: those are outcomes); its task
    /// was reported failed and a replacement started. The argument says which slot and why.</summary>
    internal event Action<string>? SlotCrashed
    {
        add => _pool!.SlotCrashed += value;
        remove => _pool!.SlotCrashed -= value;
    }

    /// <summary>Process CPU use as a fraction of all cores, for scaling; null when unknown. Unset, the
    /// resource monitor's last reading; tests substitute one.</summary>
    internal Func<double?>? CpuFraction { get; set; }

    /// <summary>Called by a slot just before it runs a task (tests use it to make a slot's loop fail).</summary>
    internal Action<WorkItem>? SlotProbe
    {
        get => _pool?.Probe;
        set => _pool!.Probe = value;
    }

    /// <summary>Live worker slots now (slots told to retire are not counted).</summary>
    public int Workers
    {
        get
        {
            lock (_coord.Gate)
            {
                return _pool?.LiveSlots ?? 0;
            }
        }
    }

    /// <summary>Attempts run by each live slot since it started (the benchmark's imbalance figure).</summary>
    internal long[] SlotCompletions() => _pool?.Completions() ?? [];

    /// <summary>Tasks each live slot stole from others since it started.</summary>
    internal long[] SlotSteals() => _pool?.Steals() ?? [];

    /// <summary>Evaluates the scaling rules once (the scaler's timer does it every <see cref="PoolOptions.EvaluateEvery"/>).</summary>
    internal void PoolTick() => _scaler?.Evaluate();
}
