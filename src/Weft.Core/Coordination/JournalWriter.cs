using Weft.Scheduling;
using Weft.Services;
using Weft.Storage;

namespace Weft.Coordination;

/// <summary>The group-commit journal writer of a durable store: commits whatever the scheduler
/// journaled while the previous commit was in flight (no timer, so an idle engine writes nothing and a
/// busy one writes large batches), then completes the waiters of runs whose end is now recorded.
/// Its fields marked "under the gate" are the coordinator's lock's.</summary>
internal sealed class JournalWriter(Coordinator coordinator, IWeftStore store, TimeProvider time) : IEngineService
{
    /// <summary>How long a failing store may take the last batch at shutdown before it is given up.</summary>
    private static readonly TimeSpan LastCommitBound = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _signal = new(0);
    private List<StoreChange> _spare = [];
    private bool _waiting; // under the gate
    private Task? _loop;
    private volatile bool _runnersDone;
    private volatile bool _abandon;
    private volatile WeftStoreException? _failure;

    public string Name => "journal writer";

    /// <summary>The store failure that made the engine stop recording; null while the store works.</summary>
    public WeftStoreException? Failure => _failure;

    /// <summary>Told after each committed batch (the cluster dispatcher forgets its dequeued rows).</summary>
    public Action<List<StoreChange>>? Committed { get; set; }

    /// <summary>False when a transport, not the store's queue, carries the tasks: the queue changes the
    /// dispatcher journals (<see cref="StoreChangeKind.Enqueue"/>, <see cref="StoreChangeKind.Dequeue"/>,
    /// <see cref="StoreChangeKind.CancelQueued"/>) only order its publishes and acks after the commit, and a
    /// cluster store must not get them (it would fill a queue no worker reads). <see cref="Committed"/> still
    /// sees the whole batch.</summary>
    public bool StoreKeepsQueue { get; init; } = true;

    // The batch as the store gets it when it keeps no queue (reused: one writer loop).
    private readonly List<StoreChange> _forStore = [];

    public void Start() => _loop ??= Task.Run(LoopAsync);

    /// <summary>Under the gate: whether to wake the writer (it sleeps and has work); it counts as woken.</summary>
    public bool TakeSignal(Scheduler scheduler)
    {
        if (_waiting && (scheduler.Journal!.Count > 0 || scheduler.HasFinished))
        {
            _waiting = false;
            return true;
        }

        return false;
    }

    public void Signal() => _signal.Release();

    /// <summary>Commits what is left once nothing runs any more, giving a failing store a bounded time
    /// to take the last batch; then stops.</summary>
    public async Task StopAsync()
    {
        if (_loop is null)
        {
            return;
        }

        _runnersDone = true;
        _signal.Release();
#pragma warning disable RS0030 // Real time on purpose: a bound on a real store's last commit at shutdown, whatever the engine's clock.
        if (await Task.WhenAny(_loop, Task.Delay(LastCommitBound)).ConfigureAwait(false) != _loop)
#pragma warning restore RS0030
        {
            _abandon = true;
        }
    }

    private async Task LoopAsync()
    {
        var finished = new List<RunExecution>();
        while (true)
        {
            List<StoreChange> batch;
            FollowUp? resume = null;
            lock (coordinator.Gate)
            {
                var scheduler = coordinator.Scheduler;
                var journal = scheduler.Journal!;
                if (journal.Count == 0 && !scheduler.HasFinished)
                {
                    if (coordinator.Stopping && _runnersDone)
                    {
                        return;
                    }

                    _waiting = true;
                    batch = [];
                }
                else
                {
                    batch = journal;
                    scheduler.Journal = _spare;
                    scheduler.DrainFinished(finished);
                }

                // Back pressure: dispatch stopped when the backlog reached the limit; taking it into this
                // commit makes room, so the runners that parked for it are woken (once per commit, never polled).
                if (scheduler.JournalThrottled && !scheduler.JournalFull)
                {
                    scheduler.JournalThrottled = false;
                    resume = coordinator.TakeFollowUp();
                }
            }

            if (resume is { } follow)
            {
                coordinator.Apply(follow);
            }

            if (batch.Count == 0 && finished.Count == 0)
            {
                await _signal.WaitAsync().ConfigureAwait(false);
                continue;
            }

            // Once a batch is lost nothing later is written: later changes without it would not be a
            // past the engine went through, and resuming from the last committed batch is.
            if (batch.Count > 0 && _failure is null && await WriteUntilStoredAsync(batch).ConfigureAwait(false))
            {
                Committed?.Invoke(batch);
            }

            batch.Clear();
            _spare = batch;
            if (_failure is { } failure)
            {
                coordinator.FailUnrecorded(failure);
            }
            else
            {
                coordinator.Complete(finished);
            }

            finished.Clear();
        }
    }

    // A store that is unreachable for now (a database restarting, a lock held elsewhere) is retried
    // with growing pauses: the batch is kept, so nothing the engine did is lost, and runs wait to be
    // reported finished. Any other failure (a full disk, a read-only or corrupt file) will not pass by
    // itself: the engine stops recording at once, so a caller learns it in seconds instead of waiting
    // forever. False when the batch was not stored.
    private async Task<bool> WriteUntilStoredAsync(List<StoreChange> batch)
    {
        var pause = TimeSpan.FromMilliseconds(50);
        var stored = StoreKeepsQueue ? batch : WithoutQueueChanges(batch);
        while (true)
        {
            try
            {
                await store.WriteAsync(stored).ConfigureAwait(false);
                coordinator.StoreError = null;
                return true;
            }
            catch (WeftStoreException ex) when (ex.IsTransient && !_abandon)
            {
                coordinator.StoreError = ex.Message;
                await Task.Delay(pause, time).ConfigureAwait(false);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
            catch (Exception ex)
            {
                var failure = ex as WeftStoreException ?? new WeftStoreException($"the store failed to record the engine's changes: {ex.Message}", ex);
                coordinator.StoreError = failure.Message;
                _failure = failure;
                return false;
            }
        }
    }

    private List<StoreChange> WithoutQueueChanges(List<StoreChange> batch)
    {
        _forStore.Clear();
        foreach (var change in batch)
        {
            if (change.Kind is not (StoreChangeKind.Enqueue or StoreChangeKind.Dequeue or StoreChangeKind.CancelQueued))
            {
                _forStore.Add(change);
            }
        }

        return _forStore;
    }
}
