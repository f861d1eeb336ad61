using Weft.Limits;
using Weft.Scheduling;
using Weft.Storage;

namespace Weft.Coordination;

/// <summary>The one writer of run state. It holds the engine's lock and, behind it, the
/// <see cref="Scheduling.Scheduler"/>, the run table, the gates (pools, rates, breakers, resources),
/// dedup keys and the queue limit. Synchronous, no I/O, no timers of its own beyond the scheduler's
/// clock: every change is a locked step followed by its <see cref="FollowUp"/> outside the lock.
///
/// <para>Who takes <see cref="Gate"/>: the coordinator's own steps, and the under-gate steps of the
/// dispatcher (a slot reports its outcomes and is handed its next tasks in one locked step: that is
/// the hot path, and a call per task through another layer would cost it) and of the engine's facade
/// and services that read run state. Nothing does I/O while holding it.</para></summary>
internal sealed class Coordinator
{
    /// <summary>What <see cref="Admit"/> decided: admitted (both null), an earlier run of the same dedup
    /// key, or a task to wait on before trying again.</summary>
    public readonly record struct Admission(string? Existing, Task? Wait);

    private readonly WeftOptions _options;
    private readonly TimeProvider _time;
    private readonly List<TaskCompletionSource> _queueWaiters = [];
    private readonly List<RunExecution> _announce = [];
    private readonly Queue<(DateTimeOffset FinishedAt, RunExecution Run)> _finishedRuns = new();
    private readonly Action<RunSnapshot>? _keepFinal;
    private DedupTable? _dedup;
    private volatile bool _stopping;
    private volatile bool _draining;

    public Coordinator(WeftOptions options, bool durable, Action<RunSnapshot>? keepFinal)
    {
        _options = options;
        _time = options.TimeProvider;
        Durable = durable;
        _keepFinal = keepFinal;
        Gates = new GateRegistry(options);
        Scheduler = new Scheduler(_time, options.RandomSeed is { } seed ? new Random(seed) : new Random(), OnRetryDue)
        {
            OnBreakerDue = OnBreakerDue,
            OnRateDue = OnRateDue,
            Resources = Gates.Resources,
            MaxMapItems = options.MaxMapItems,
        };
        Scheduler.OnWaitDue = OnWaitDue;
        Scheduler.Ready.Configure(ReadyQueueSettings.From(options));
        if (durable)
        {
            Scheduler.Journal = [];
            Scheduler.JournalLimit = Math.Max(1, options.JournalLimit);
        }
    }

    /// <summary>The engine's lock. See the class summary for who may take it.</summary>
    public Lock Gate { get; } = new();

    public Scheduler Scheduler { get; }

    /// <summary>Runs this engine holds, by id (under the gate).</summary>
    public Dictionary<string, RunExecution> Runs { get; } = new(StringComparer.Ordinal);

    /// <summary>Pools, rate limits, breakers and resources shared by every run (under the gate).</summary>
    public GateRegistry Gates { get; }

    /// <summary>True when the store is durable: finished runs are announced by the journal writer once
    /// their end is committed, not at once.</summary>
    public bool Durable { get; }

    /// <summary>Set once, before anything is submitted.</summary>
    public IDispatcher Dispatcher { get; set; } = null!;

    /// <summary>The journal writer of a durable store; null otherwise. Set once, before anything is submitted.</summary>
    public JournalWriter? Journal { get; set; }

    /// <summary>The last error a store gave (the journal writer retrying, a retention purge, a cluster
    /// loop reading); null when healthy. Shown by status and health.</summary>
    public string? StoreError { get; set; }

    /// <summary>The engine is shutting down: nothing new is started or taken.</summary>
    public bool Stopping => _stopping;

    /// <summary>A graceful stop is draining running tasks: nothing new starts.</summary>
    public bool Draining => _draining;

    /// <summary>Outcomes reported from now on are recorded as interrupted (a drain ran out of time).</summary>
    public bool Interrupting { get; set; }

    /// <summary>Under the gate: marks the engine stopping; false when it already was.</summary>
    public bool BeginStopping()
    {
        if (_stopping)
        {
            return false;
        }

        _stopping = true;
        return true;
    }

    /// <summary>Under the gate: marks a graceful stop; false when the engine is already stopping or draining.</summary>
    public bool BeginDraining()
    {
        if (_stopping || _draining)
        {
            return false;
        }

        _draining = true;
        return true;
    }

    /// <summary>One locked step on the scheduler, then its follow-up.</summary>
    public void Step<T>(T argument, Action<Scheduler, T> step)
    {
        FollowUp follow;
        lock (Gate)
        {
            step(Scheduler, argument);
            follow = TakeFollowUp();
        }

        Apply(follow);
    }

    /// <summary>Call under the gate. Wakes no more idle runners than there are tasks they may start
    /// (none while the journal's backlog is full), and the journal writer only when it sleeps and has work.</summary>
    public FollowUp TakeFollowUp()
    {
        var wake = Dispatcher.TakeIdle(Scheduler.TakeStartable());
        var signal = false;
        var announce = false;
        if (Journal is { } journal)
        {
            signal = journal.TakeSignal(Scheduler);
        }
        else
        {
            announce = Scheduler.HasFinished;
        }

        return new FollowUp(wake, signal, announce, TakeQueueWaiters());
    }

    public void Apply(FollowUp follow)
    {
        if (follow.Wake > 0)
        {
            Dispatcher.Wake(follow.Wake);
        }

        if (follow.SignalWriter)
        {
            Journal!.Signal();
        }

        if (follow.Announce)
        {
            Announce();
        }

        if (follow.QueueRoom is { } waiters)
        {
            foreach (var waiter in waiters)
            {
                waiter.TrySetResult();
            }
        }
    }

    /// <summary>Completes the waiters of finished runs (non-durable store: at once; a durable store's
    /// writer does it once their final state is committed).</summary>
    public void Announce()
    {
        RunExecution[] finished;
        lock (Gate)
        {
            if (Durable || !Scheduler.HasFinished)
            {
                return;
            }

            Scheduler.DrainFinished(_announce);
            finished = [.. _announce];
            _announce.Clear();
        }

        Complete(finished);
    }

    /// <summary>Outside the gate: tells the waiters of <paramref name="finished"/> runs their end.</summary>
    public void Complete(IReadOnlyList<RunExecution> finished)
    {
        if (finished.Count == 0)
        {
            return;
        }

        lock (Gate)
        {
            foreach (var run in finished)
            {
                run.ReportFinished();
            }
        }

        foreach (var run in finished)
        {
            var snapshot = run.Snapshot();
            _keepFinal?.Invoke(snapshot);
            run.Completion.TrySetResult(snapshot);
        }

        ForgetLater(finished);
    }

    // A finished run leaves the engine's memory once it has been finished for KeepFinishedRuns (the
    // store keeps it; the server and `weft runs` read it from there). Without this, a server running
    // schedules for months held every run it had ever finished, outputs included. Runs are forgotten
    // in the order they finished, a few at a time as later runs finish: no timer, nothing per task.
    private void ForgetLater(IReadOnlyList<RunExecution> finished)
    {
        if (_options.KeepFinishedRuns is not { } keep)
        {
            return;
        }

        if (keep < _options.DedupWindow)
        {
            keep = _options.DedupWindow; // a duplicate submission within the window gets the run's handle
        }

        var now = _time.GetUtcNow();
        lock (Gate)
        {
            foreach (var run in finished)
            {
                _finishedRuns.Enqueue((now, run));
            }

            while (_finishedRuns.TryPeek(out var oldest) && now - oldest.FinishedAt >= keep)
            {
                _finishedRuns.Dequeue();
                var run = oldest.Run;
                // Only the same execution, still final: a resumed or re-admitted run is live again.
                if (Runs.TryGetValue(run.RunId, out var held) && ReferenceEquals(held, run) && run.State.IsFinal())
                {
                    Runs.Remove(run.RunId);
                }
            }
        }
    }

    /// <summary>Admits a new run into the run table: a live run of the same <paramref name="dedupKey"/>
    /// within the window comes back instead (<see cref="Admission.Existing"/>); a run id already held
    /// throws <see cref="WeftDuplicateRunException"/>; while <paramref name="intakePaused"/> gives a task
    /// (memory critical) or the queue is full and the caller waits, that task comes back to wait on
    /// before trying again. Room for all of its tasks is reserved at once, or none.</summary>
    public Admission Admit(RunExecution run, string? dedupKey, bool waitIfFull, Func<Task?> intakePaused)
    {
        lock (Gate)
        {
            if (dedupKey is not null && Dedup.TryGet(dedupKey, run.SubmittedAt, out var existing))
            {
                return new Admission(existing, null);
            }

            if (Runs.ContainsKey(run.RunId))
            {
                throw new WeftDuplicateRunException(run.RunId);
            }

            // While memory is critical, intake pauses: submissions wait until it falls.
            if ((intakePaused() ?? ReserveQueue(run.Plan.Count, waitIfFull)) is { } wait)
            {
                return new Admission(null, wait);
            }

            Runs.Add(run.RunId, run);
            if (dedupKey is not null)
            {
                Dedup.Add(dedupKey, run.RunId, run.SubmittedAt);
            }

            return default;
        }
    }

    /// <summary>Takes back an admitted run whose record the store refused: its room, its dedup key.</summary>
    public void Withdraw(RunExecution run, string? dedupKey)
    {
        lock (Gate)
        {
            Runs.Remove(run.RunId);
            Scheduler.Counters.Outstanding -= run.Plan.Count;
            if (dedupKey is not null)
            {
                Dedup.Remove(dedupKey, run.RunId);
            }
        }
    }

    /// <summary>Under the gate: admits a run taken up from the store (never refused for a full queue: it was admitted
    /// once already). False, with the run held instead, when another caller took it up first.</summary>
    public bool AdmitRecovered(RunExecution run, out RunExecution held)
    {
        if (Runs.TryGetValue(run.RunId, out held!))
        {
            return false;
        }

        Runs[run.RunId] = run;
        Scheduler.Counters.Outstanding += run.Plan.Count;
        held = run;
        return true;
    }

    /// <summary>Dedup keys of recent submissions (under the gate).</summary>
    public DedupTable Dedup => _dedup ??= new DedupTable(_options.DedupWindow);

    /// <summary>Call under the gate. Reserves room for a run's tasks, all or nothing (nothing is
    /// half-submitted): null when reserved; a task to wait on when the queue is full and the caller
    /// waits; else throws <see cref="WeftQueueFullException"/>.</summary>
    public Task? ReserveQueue(int tasks, bool wait)
    {
        var outstanding = Scheduler.Counters.Outstanding;
        var limit = _options.QueueLimit;
        if (tasks > limit)
        {
            throw new WeftQueueFullException(outstanding, limit, tasks);
        }

        if (outstanding + tasks <= limit)
        {
            Scheduler.Counters.Outstanding += tasks;
            return null;
        }

        if (!wait)
        {
            throw new WeftQueueFullException(outstanding, limit, tasks);
        }

        var room = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queueWaiters.Add(room);
        return room.Task;
    }

    // Call under the gate: the waiters to wake because tasks finished and room opened up.
    private TaskCompletionSource[]? TakeQueueWaiters()
    {
        if (_queueWaiters.Count == 0 || Scheduler.Counters.Outstanding >= _options.QueueLimit)
        {
            return null;
        }

        TaskCompletionSource[] waiters = [.. _queueWaiters];
        _queueWaiters.Clear();
        return waiters;
    }

    /// <summary>After the store failed: every run not yet reported finished fails its waiters and
    /// watchers with the store's error and is cancelled in memory (its tasks stop, so the process can
    /// end), while the store keeps it unfinished for a later resume.</summary>
    public void FailUnrecorded(WeftStoreException failure)
    {
        List<RunExecution> failed;
        FollowUp follow;
        lock (Gate)
        {
            failed = [.. Runs.Values.Where(r => !r.Completion.Task.IsCompleted)];
            foreach (var run in failed)
            {
                run.FailWatchers(failure);
                Scheduler.Cancel(run);
            }

            follow = TakeFollowUp();
        }

        Apply(follow);
        foreach (var run in failed)
        {
            run.Completion.TrySetException(failure);
            try
            {
                run.Cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The run released its token source: nothing of it runs any more.
            }
        }
    }

    /// <summary>Under the gate: a back-off that ends after a stop must not queue anything; the store
    /// keeps its due time for a resume. A run waiting for its start time stays pending in the store.</summary>
    public void StopTimers()
    {
        foreach (var run in Runs.Values)
        {
            for (var t = 0; t < run.Slots.Length; t++)
            {
                ref var slot = ref run.Slots[t];
                if (slot.RetryTimer is { } timer)
                {
                    timer.Dispose();
                    slot.RetryTimer = null;
                }
            }

            run.StartTimer?.Dispose();
            run.StartTimer = null;
            Scheduler.StopWaits(run);
        }
    }

    private void OnRetryDue(RunExecution run, int task) => Step((run, task), static (s, a) => s.RetryDue(a.run, a.task));

    private void OnWaitDue(RunExecution run, int task, ActiveWait wait) =>
        Step((run, task, wait), static (s, a) => s.WaitDue(a.run, a.task, a.wait));

    private void OnRateDue(RateGate rate) => Step(rate, static (s, r) => s.RateDue(r));

    private void OnBreakerDue(CircuitBreaker breaker) => Step(breaker, static (s, b) => s.BreakerDue(b));
}
