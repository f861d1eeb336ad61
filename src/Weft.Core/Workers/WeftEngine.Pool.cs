using Weft.Execution;
using Weft.WorkerPool;

namespace Weft;

public sealed partial class WeftEngine
{
    private WorkerSlot[] _slots = []; // replaced, never mutated, under _gate; read without it to steal
    private readonly List<Task> _slotLoops = [];
    private readonly Queue<PoolEvent> _poolEvents = new();
    private SlotPicker _picker = null!;
    private ITimer? _poolTimer;
    private int _nextSlotNumber;
    private long _slotCrashes;
    private DateTimeOffset? _lastScaleAt;
    private bool _lastGrew;
    private DateTimeOffset? _idleSince;

    /// <summary>Raised (on a timer thread, outside the engine lock) for every scaling decision and every
    /// replacement of a crashed slot.</summary>
    public event Action<PoolEvent>? PoolChanged;

    /// <summary>Raised when a slot's loop crashed (not a handler failure: those are outcomes); its task
    /// was reported failed and a replacement started. The argument says which slot and why.</summary>
    internal event Action<string>? SlotCrashed;

    /// <summary>Process CPU use as a fraction of all cores, for scaling; null when unknown. Unset, the
    /// resource monitor's last reading; tests substitute one.</summary>
    internal Func<double?>? CpuFraction { get; set; }

    /// <summary>Called by a slot just before it runs a task (tests use it to make a slot's loop fail).</summary>
    internal Action<Scheduling.WorkItem>? SlotProbe { get; set; }

    /// <summary>Live worker slots now (slots told to retire are not counted).</summary>
    public int Workers
    {
        get
        {
            lock (_gate)
            {
                return LiveSlots();
            }
        }
    }

    /// <summary>Attempts run by each live slot since it started (the benchmark's imbalance figure).</summary>
    internal long[] SlotCompletions()
    {
        lock (_gate)
        {
            return [.. _slots.Select(s => Volatile.Read(ref s.Completed))];
        }
    }

    /// <summary>Tasks each live slot stole from others since it started.</summary>
    internal long[] SlotSteals()
    {
        lock (_gate)
        {
            return [.. _slots.Select(s => Volatile.Read(ref s.Stolen))];
        }
    }

    private void StartPool()
    {
        var pool = _options.Pool;
        _picker = new SlotPicker(pool);
        lock (_gate)
        {
            for (var i = 0; i < pool.MinWorkers; i++)
            {
                AddSlot();
            }
        }

        if (!pool.IsFixed)
        {
            _poolTimer = _time.CreateTimer(static s => ((WeftEngine)s!).PoolTick(), this, pool.EvaluateEvery, pool.EvaluateEvery);
        }
    }

    /// <summary>Evaluates the scaling rules once (the timer calls it every <see cref="PoolOptions.EvaluateEvery"/>).</summary>
    internal void PoolTick()
    {
        PoolEvent? decided;
        int wake;
        lock (_gate)
        {
            if (_stopping || _draining)
            {
                return;
            }

            var now = _time.GetUtcNow();
            int live = 0, busy = 0, queued = _scheduler.ReadyCount;
            foreach (var slot in _slots)
            {
                queued += slot.Count;
                if (!slot.Retiring)
                {
                    live++;
                    busy += slot.Busy ? 1 : 0;
                }
            }

            _idleSince = busy == 0 && queued == 0 ? _idleSince ?? now : null;
            var decision = ScalingDecider.Decide(_options.Pool, new PoolSignals(now, queued, busy, live, CpuFraction is { } cpu ? cpu() : MonitorCpu(), _lastScaleAt, _lastGrew, _idleSince));
            if (decision.Delta == 0)
            {
                return;
            }

            for (var i = 0; i < decision.Delta; i++)
            {
                AddSlot();
            }

            Retire(-decision.Delta);
            _lastScaleAt = now;
            _lastGrew = decision.Delta > 0;
            decided = Record(now, live, live + decision.Delta, decision.Reason);

            // Parked slots wake to see whether they were told to go; the others park again.
            wake = decision.Delta < 0 ? _idle : 0;
            _idle -= wake;
        }

        if (wake > 0)
        {
            _wake.Release(wake);
        }

        Publish(decided);
    }

    // Call under the lock. Zero before the monitor has two samples means "not known yet".
    private double? MonitorCpu() => _monitor is { Last: not null, CpuCores: > 0 } m ? m.CpuCores / Environment.ProcessorCount : null;

    // Call under the lock.
    private WorkerSlot AddSlot()
    {
        var slot = new WorkerSlot(_nextSlotNumber++, ReportBatch);
        _slots = [.. _slots, slot];
        slot.Loop = Task.Run(() => SlotLoopAsync(slot));
        _slotLoops.Add(slot.Loop);
        return slot;
    }

    // Call under the lock: idle slots go first, newest first; a busy one finishes its task, then goes.
    private void Retire(int count)
    {
        var chosen = _slots.Where(s => !s.Retiring)
            .OrderBy(s => s.Busy || s.Count > 0)
            .ThenByDescending(s => s.Number)
            .Take(count);
        foreach (var slot in chosen)
        {
            slot.Retiring = true;
        }
    }

    // Call under the lock.
    private void RemoveSlot(WorkerSlot slot) => _slots = [.. _slots.Where(s => s != slot)];

    private int LiveSlots() => _slots.Count(s => !s.Retiring);

    // Call under the lock.
    private PoolEvent Record(DateTimeOffset at, int from, int to, string reason)
    {
        var e = new PoolEvent(at, from, to, reason);
        _poolEvents.Enqueue(e);
        while (_poolEvents.Count > _options.Pool.KeepEvents)
        {
            _poolEvents.Dequeue();
        }

        return e;
    }

    private void Publish(PoolEvent? e)
    {
        if (e is null || PoolChanged is not { } listeners)
        {
            return;
        }

        try
        {
            listeners(e);
        }
        catch (Exception)
        {
            // A listener's bug must not stop the pool's timer.
        }
    }

    // Call under the lock (GetStatus).
    private PoolStatus PoolStatusLocked() => new()
    {
        Slots = LiveSlots(),
        Busy = _slots.Count(s => s.Busy && !s.Retiring),
        MinWorkers = _options.Pool.MinWorkers,
        MaxWorkers = _options.Pool.MaxWorkers,
        Strategy = _options.Pool.Strategy,
        SlotCrashes = _slotCrashes,
        RecentEvents = [.. _poolEvents],
    };

    private async Task StopSlotsAsync()
    {
        if (_poolTimer is not null)
        {
            await _poolTimer.DisposeAsync().ConfigureAwait(false);
        }

        Task[] loops;
        int slots;
        lock (_gate)
        {
            loops = [.. _slotLoops];
            slots = _slots.Length;
        }

        _wake.Release(Math.Max(1, slots));
        await Task.WhenAll(loops).ConfigureAwait(false);
    }
}
