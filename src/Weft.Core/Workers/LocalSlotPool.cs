using System.Diagnostics;
using Weft.Coordination;
using Weft.Execution;
using Weft.Scheduling;
using Weft.Storage;

namespace Weft.WorkerPool;

/// <summary>The dispatcher of an embedded engine: worker slots in this process. Fetch → run → report:
/// a slot runs the tasks of its own queue (and steals from other slots when it is empty) without the
/// engine lock; it takes the coordinator's gate to report outcomes and, when it has nothing left, to
/// have the scheduler start ready tasks and hand them to slots by the strategy — one locked step.
///
/// <para>What a crash at each point means (durable store): before the claim is journaled and committed,
/// the task is simply not started; after, it is "running" and recovery gives it a new attempt marked
/// interrupted; a completion reported but not yet committed is, after a crash, an attempt that ran
/// (at-least-once) and runs again. A task claimed into a slot's queue counts as started.</para>
///
/// <para>State: <see cref="_slots"/> is replaced, never mutated, under the gate and read without it to
/// steal; everything else marked "gate" is the gate's; a slot's own fields are its loop's.</para></summary>
internal sealed class LocalSlotPool : IDispatcher
{
    /// <summary>Outcomes a slot may hold before it must report them under the lock, at least (as many
    /// as it may hold tasks ahead: one visit to the lock reports a batch and takes the next).</summary>
    private const int MinReportBatch = 32;

    private const string InterruptedByStop = "interrupted: the engine stopped before this attempt finished";
    private const string NotStartedByStop = "interrupted: the engine stopped before this attempt started";

    private readonly Coordinator _coordinator;
    private readonly Scheduler _scheduler;
    private readonly RunAttempts _attempts;
    private readonly PoolOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly SlotPicker _picker;
    private readonly int _reportBatch;
    private readonly GateTurns _turns = new();
    private readonly List<Task> _slotLoops = []; // gate
    private readonly Queue<PoolEvent> _events = new(); // gate
    private WorkerSlot[] _slots = [];
    private int _idle; // gate
    private int _nextSlotNumber; // gate
    private long _slotCrashes; // gate

    public LocalSlotPool(Coordinator coordinator, RunAttempts attempts, PoolOptions options, TimeProvider time)
    {
        _coordinator = coordinator;
        _scheduler = coordinator.Scheduler;
        _attempts = attempts;
        _options = options;
        _time = time;
        _picker = new SlotPicker(options);
        _reportBatch = Math.Max(MinReportBatch, options.SlotQueueCapacity);
    }

    public string Name => "local slot pool";

    /// <summary>Raised (outside the gate) for every scaling decision and every replacement of a crashed slot.</summary>
    public event Action<PoolEvent>? Changed;

    /// <summary>Raised when a slot's loop crashed; the argument says which slot and why.</summary>
    public event Action<string>? SlotCrashed;

    /// <summary>Told (outside the gate) of each crash: who, what.</summary>
    public Action<string, string>? OnCrash { get; set; }

    /// <summary>Called by a slot just before it runs a task (tests use it to make a slot's loop fail).</summary>
    public Action<WorkItem>? Probe { get; set; }

    /// <summary>Live slots (slots told to retire are not counted). Under the gate.</summary>
    public int LiveSlots => _slots.Count(s => !s.Retiring);

    /// <summary>Slots, for the scaler (under the gate).</summary>
    public WorkerSlot[] Slots => _slots;

    public void Start()
    {
        lock (_coordinator.Gate)
        {
            if (_nextSlotNumber > 0)
            {
                return;
            }

            for (var i = 0; i < _options.MinWorkers; i++)
            {
                AddSlot();
            }
        }
    }

    public async Task StopAsync()
    {
        Task[] loops;
        int slots;
        lock (_coordinator.Gate)
        {
            loops = [.. _slotLoops];
            slots = _slots.Length;
        }

        _wake.Release(Math.Max(1, slots));
        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    public int TakeIdle(int ready)
    {
        var wake = Math.Min(_idle, ready);
        _idle -= wake;
        return wake;
    }

    public void Wake(int count) => _wake.Release(count);

    public PoolStatus Status() => new()
    {
        Slots = LiveSlots,
        Busy = _slots.Count(s => s.Busy && !s.Retiring),
        MinWorkers = _options.MinWorkers,
        MaxWorkers = _options.MaxWorkers,
        Strategy = _options.Strategy,
        SlotCrashes = _slotCrashes,
        RecentEvents = [.. _events],
    };

    public Task BeginDrain()
    {
        foreach (var slot in _slots)
        {
            while (slot.TryTake(out var queued))
            {
                _scheduler.Interrupt(queued.Item, NotStartedByStop);
            }
        }

        var wake = _idle;
        _idle = 0;
        if (wake > 0)
        {
            _wake.Release(wake);
        }

        return Task.WhenAll([.. _slotLoops]);
    }

    public ValueTask<Func<int, bool>?> AdoptionForAsync(RunExecution run, CancellationToken cancellationToken) => new((Func<int, bool>?)null);

    public void Committed(List<StoreChange> batch)
    {
    }

    /// <summary>Attempts run by each live slot since it started (the benchmark's imbalance figure).</summary>
    public long[] Completions()
    {
        lock (_coordinator.Gate)
        {
            return [.. _slots.Select(s => Volatile.Read(ref s.Completed))];
        }
    }

    /// <summary>Tasks each live slot stole from others since it started.</summary>
    public long[] Steals()
    {
        lock (_coordinator.Gate)
        {
            return [.. _slots.Select(s => Volatile.Read(ref s.Stolen))];
        }
    }

    /// <summary>Under the gate: grows or shrinks the pool by <paramref name="delta"/> and records why;
    /// returns the event to publish and how many parked slots to wake (to see whether they must go).</summary>
    public PoolEvent Resize(int delta, int live, DateTimeOffset now, string reason, out int wake)
    {
        for (var i = 0; i < delta; i++)
        {
            AddSlot();
        }

        Retire(-delta);
        wake = delta < 0 ? _idle : 0;
        _idle -= wake;
        return Record(now, live, live + delta, reason);
    }

    /// <summary>Outside the gate.</summary>
    public void Publish(PoolEvent? e)
    {
        if (e is null || Changed is not { } listeners)
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

    private async Task SlotLoopAsync(WorkerSlot me)
    {
        try
        {
            var reportNow = false;
            while (true)
            {
                ClaimedTask next = default;
                var have = !reportNow && me.DoneCount < _reportBatch && !_coordinator.Draining
                    && (me.TakeAhead(out next) || me.TryTake(out next) || TrySteal(me, out next));
                if (!have)
                {
                    bool exit;
                    FollowUp follow;
                    if (me.Pacing)
                    {
                        me.Paced(Stopwatch.GetTimestamp());
                    }

                    _turns.AwaitTurn(me);
                    _turns.Arrive();
                    var gate = _coordinator.Gate;
                    if (!GateTurns.SpinEnter(gate, Volatile.Read(ref _slots).Length))
                    {
                        gate.Enter();
                    }

                    try
                    {
                        _turns.Enter(me);
                        var now = _time.GetUtcNow(); // one read for the step: reports and starts
                        ReportOutcomes(me, now);
                        have = NextUnderGate(me, now, out next, out exit, out var handedOut);
                        follow = _coordinator.TakeFollowUp();
                        follow = follow with { Wake = follow.Wake + TakeIdle(handedOut) };
                    }
                    finally
                    {
                        gate.Exit();
                    }

                    if (me.Ahead > 0)
                    {
                        me.LeftGate(Stopwatch.GetTimestamp());
                    }
                    else
                    {
                        me.LeftGateUntimed();
                    }

                    _coordinator.Apply(follow);
                    if (exit)
                    {
                        break;
                    }

                    if (!have)
                    {
                        await _wake.WaitAsync().ConfigureAwait(false);
                        me.Parked = false;
                        continue;
                    }
                }

                var ran = RunClaimed(me, next);
                reportNow = ran.IsCompletedSuccessfully ? ran.Result : await ran.ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            OnSlotCrashed(me, ex);
        }

        _coordinator.Announce();
    }

    // Returns true when the outcome must be reported at once (asynchronous work, or outcomes held
    // for more than about a millisecond): only runs of tiny synchronous tasks are batched. The
    // synchronous path is not an async method, so a no-op task costs no state machine.
    private ValueTask<bool> RunClaimed(WorkerSlot me, ClaimedTask next)
    {
        me.Current = next;
        me.HasCurrent = true;
        me.Busy = true;
        Probe?.Invoke(next.Item);
        var pending = _attempts.ExecuteAsync(next.Item, next.Attempt);
        if (!pending.IsCompletedSuccessfully)
        {
            return AwaitClaimedAsync(me, next, pending);
        }

        if (me.InlineStreak < WorkerSlot.HoldAheadAfter)
        {
            me.InlineStreak++;
        }

        // Outcomes held more than about a millisecond (a slow synchronous handler) go out now. The
        // clock is read only while outcomes are held, so a chain (one at a time) never reads it.
        var reportNow = false;
        if (me.DoneCount > 0)
        {
            var now = Environment.TickCount64;
            if (me.FirstDoneAt == 0)
            {
                me.FirstDoneAt = now;
            }
            else
            {
                reportNow = now - me.FirstDoneAt > 1;
            }
        }

        Finished(me, next, pending.Result);
        return new ValueTask<bool>(reportNow);
    }

    private async ValueTask<bool> AwaitClaimedAsync(WorkerSlot me, ClaimedTask next, ValueTask<TaskOutcome> pending)
    {
        me.InlineStreak = 0;
        if (me.DoneCount > 0)
        {
            // The handler is waiting on something: report what finished before, while it waits.
            FollowUp follow;
            lock (_coordinator.Gate)
            {
                ReportOutcomes(me, _time.GetUtcNow());
                follow = _coordinator.TakeFollowUp();
            }

            _coordinator.Apply(follow);
        }

        Finished(me, next, await pending.ConfigureAwait(false));
        return true;
    }

    private static void Finished(WorkerSlot me, ClaimedTask task, TaskOutcome outcome)
    {
        me.DoneItems[me.DoneCount] = task.Item;
        me.DoneOutcomes[me.DoneCount++] = outcome;
        me.HasCurrent = false;
        me.Busy = false;
        me.Completed++;
    }

    // Under the gate. Reports in order; on an exception the unreported rest stays for the crash handler.
    private void ReportOutcomes(WorkerSlot me, DateTimeOffset now)
    {
        while (me.DoneHead < me.DoneCount)
        {
            var i = me.DoneHead++;
            if (_coordinator.Interrupting && !me.DoneOutcomes[i].IsSuccess)
            {
                _scheduler.Interrupt(me.DoneItems[i], InterruptedByStop);
            }
            else
            {
                _scheduler.Complete(me.DoneItems[i], me.DoneOutcomes[i], now);
            }

            me.DoneOutcomes[i] = default; // let go of outputs
        }

        me.DoneHead = 0;
        me.DoneCount = 0;
        me.FirstDoneAt = 0;
    }

    // Under the gate: the slot's next task (its queue, then a dispatch, then a steal), or whether it
    // parks or exits. handedOut counts tasks given to other slots, which may need waking.
    private bool NextUnderGate(WorkerSlot me, DateTimeOffset now, out ClaimedTask next, out bool exit, out int handedOut)
    {
        handedOut = 0;
        exit = false;
        var draining = _coordinator.Draining;
        if (draining || me.Retiring)
        {
            if (!draining && (me.TakeAhead(out next) || me.TryTake(out next)))
            {
                return true; // a retiring slot finishes what it was given
            }

            while (me.TakeAhead(out var held))
            {
                _scheduler.Interrupt(held.Item, NotStartedByStop); // draining: held tasks never start
            }

            next = default;
            exit = true;
            RemoveSlot(me);
            return false;
        }

        if (me.TakeAhead(out next) || me.TryTake(out next))
        {
            return true;
        }

        handedOut = Dispatch(me, now, out next, out var own);
        if (own || TrySteal(me, out next))
        {
            return true;
        }

        if (_coordinator.Stopping)
        {
            exit = true;
            return false;
        }

        _idle++;
        me.Parked = true;
        return false;
    }

    // Under the gate: starts ready tasks while some slot has room, each to the slot the strategy picks.
    // The first one picked for the asking slot comes back directly (a chain's next task never goes
    // through a queue). Returns how many went to other slots.
    private int Dispatch(WorkerSlot asking, DateTimeOffset now, out ClaimedTask own, out bool hasOwn)
    {
        var slots = _slots;
        var others = 0;
        own = default;
        hasOwn = false;
        while (_scheduler.ReadyCount > 0 && _picker.Pick(slots, asking) is { } target)
        {
            if (!_scheduler.TryStartNext(now, out var item, out var attempt))
            {
                break;
            }

            if (target == asking && !hasOwn)
            {
                own = new ClaimedTask(item, attempt);
                hasOwn = true;
                asking.Busy = true; // counts as its load for the picks that follow
                if (!OthersHaveRoom(slots, asking))
                {
                    // Every pick that follows would be the asking slot's: fill what it holds ahead without
                    // asking the strategy again, which reads the other slots' fields per task while their
                    // cores write them (the cache lines would cross between cores for every task).
                    HoldAhead(asking, now);
                    break;
                }

                continue;
            }

            if (target == asking)
            {
                asking.Hold(new ClaimedTask(item, attempt)); // only it runs them: no lock per task
            }
            else
            {
                target.Push(new ClaimedTask(item, attempt));
                others++;
            }
        }

        return others;
    }

    private static bool OthersHaveRoom(WorkerSlot[] slots, WorkerSlot asking)
    {
        foreach (var slot in slots)
        {
            if (slot != asking && slot.Room(asking: false) > 0)
            {
                return true;
            }
        }

        return false;
    }

    // Under the gate: the asking slot's tasks ahead, up to its room (no other slot has any).
    private void HoldAhead(WorkerSlot asking, DateTimeOffset now)
    {
        for (var room = asking.Room(asking: true); room > 0 && _scheduler.ReadyCount > 0; room--)
        {
            if (!_scheduler.TryStartNext(now, out var item, out var attempt))
            {
                return;
            }

            asking.Hold(new ClaimedTask(item, attempt));
        }
    }

    private bool TrySteal(WorkerSlot me, out ClaimedTask task) => me.TrySteal(Volatile.Read(ref _slots), out task);

    /// <summary>A slot's loop failed outside a handler (a bug, or an injected fault): its running task
    /// is reported failed so its retry policy decides, its queue goes to a replacement slot, and the
    /// crash is counted, published and raised. Nothing it held is lost.</summary>
    private void OnSlotCrashed(WorkerSlot me, Exception ex)
    {
        var message = $"worker slot {me.Number} crashed: {ex.GetType().Name}: {ex.Message}";
        PoolEvent? replaced = null;
        FollowUp follow;
        lock (_coordinator.Gate)
        {
            me.Busy = false;
            _slotCrashes++;
            if (me.HasCurrent)
            {
                me.HasCurrent = false;
                ReportSafely(() => _scheduler.Complete(me.Current.Item, TaskOutcome.Failed(message)));
            }

            while (me.DoneHead < me.DoneCount)
            {
                var i = me.DoneHead++;
                ReportSafely(() => _scheduler.Complete(me.DoneItems[i], me.DoneOutcomes[i]));
            }

            me.DoneHead = me.DoneCount = 0;
            RemoveSlot(me);
            var live = LiveSlots;

            // A slot that was told to retire is not replaced; what it held goes to a live slot.
            var heir = _coordinator.Stopping || _coordinator.Draining ? null
                : me.Retiring ? _slots.FirstOrDefault(s => !s.Retiring) ?? AddSlot()
                : AddSlot();
            var handed = 0;
            while (me.TakeAhead(out var queued) || me.TryTake(out queued))
            {
                if (heir is not null)
                {
                    heir.Push(queued);
                    handed++;
                }
                else
                {
                    ReportSafely(() => _scheduler.Interrupt(queued.Item, InterruptedByStop));
                }
            }

            if (heir is not null && !me.Retiring)
            {
                replaced = Record(_time.GetUtcNow(), live + 1, live + 1, $"{message}; replaced by slot {heir.Number}");
            }

            follow = _coordinator.TakeFollowUp();
            follow = follow with { Wake = follow.Wake + TakeIdle(handed) };
        }

        _coordinator.Apply(follow);
        Publish(replaced);
        SlotCrashed?.Invoke(message);
        OnCrash?.Invoke($"slot {me.Number}", message);
    }

    // The scheduler threw once already; reporting must not throw the crash handler out too.
    private static void ReportSafely(Action report)
    {
        try
        {
            report();
        }
        catch (Exception)
        {
            // Nothing better to do: the slot is gone either way, and the crash is already counted.
        }
    }

    // Under the gate.
    private WorkerSlot AddSlot()
    {
        var slot = new WorkerSlot(_nextSlotNumber++, _reportBatch, _options.SlotQueueCapacity);
        _slots = [.. _slots, slot];
        slot.Loop = Task.Run(() => SlotLoopAsync(slot));
        _slotLoops.Add(slot.Loop);
        return slot;
    }

    // Under the gate: idle slots go first, newest first; a busy one finishes its task, then goes.
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

    // Under the gate.
    private void RemoveSlot(WorkerSlot slot) => _slots = [.. _slots.Where(s => s != slot)];

    // Under the gate.
    private PoolEvent Record(DateTimeOffset at, int from, int to, string reason)
    {
        var e = new PoolEvent(at, from, to, reason);
        _events.Enqueue(e);
        while (_events.Count > _options.KeepEvents)
        {
            _events.Dequeue();
        }

        return e;
    }
}
