using Weft.Caching;
using Weft.Coordination;
using Weft.Definitions;
using Weft.Execution;
using Weft.Scheduling;
using Weft.Storage;

namespace Weft.Cluster;

/// <summary>The dispatcher of a cluster's scheduler (DESIGN.md "Modes"): tasks run on worker
/// processes, not in this one. Each task the scheduler starts becomes a queue row (journaled in the
/// same transaction as the task's running state); workers claim and run them; a collector feeds their
/// recorded outcomes, and the attempts of workers that died, back into the scheduler. Everything else
/// (ordering, gates, retries, the journal) is the coordinator's, as embedded.
///
/// <para>Starting is <see cref="EnqueueStarter"/>'s (shared with the NATS transport): the tasks a batch of
/// outcomes made ready are queued in the step that takes the outcomes in, so the scheduler's dequeues and
/// the next queue rows are one transaction.</para>
///
/// <para>The result cache belongs here, not to the workers: a task with <c>cache:</c> is looked up
/// before it is queued (a hit finishes it without a queue row; a miss is queued with its key kept on
/// the task, <see cref="TaskSlot.CacheKey"/>) and its success is remembered when the worker's outcome
/// comes back, through the same <see cref="AttemptCache"/> the local pool uses. So a workflow that uses
/// the cache behaves the same embedded and on a cluster.</para></summary>
internal sealed class ClusterQueueDispatcher : IDispatcher
{
    private const int CollectBatch = 4096;

    /// <summary>The most rows taken in (their Dequeue not yet committed) that a read of outcomes leaves out
    /// rather than wait for that commit.</summary>
    private const int SkipAtMost = 1024;

    /// <summary>The longest the collector waits for its dequeues to commit before it reads anyway.</summary>
    private static readonly TimeSpan DequeueWait = TimeSpan.FromMilliseconds(200);

    private readonly Coordinator _coordinator;
    private readonly Scheduler _scheduler;
    private readonly IClusterStore _cluster;
    private readonly IWeftStore _store;
    private readonly AttemptCache _cache;
    private readonly EnqueueStarter _starter;
    private readonly ClusterSchedulingOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _dequeueCommitted = new(0);

    // Queue rows whose outcome is in the scheduler but whose Dequeue is not yet committed: the store
    // still returns them, and they must not be taken twice. Under the gate.
    private readonly HashSet<long> _consumed = [];

    // A worker that dies holding six tasks is one crash, not six.
    private readonly LostWorkerTally _lostWorkers = new();
    private Task[] _loops = [];

    public ClusterQueueDispatcher(Coordinator coordinator, IClusterStore cluster, IWeftStore store, AttemptCache cache, ClusterSchedulingOptions options, TimeProvider time)
    {
        _coordinator = coordinator;
        _scheduler = coordinator.Scheduler;
        _cluster = cluster;
        _store = store;
        _cache = cache;
        _starter = new EnqueueStarter(coordinator, cache);
        _options = options;
        _time = time;
        _scheduler.Distributed = true;
    }

    public string Name => "cluster queue (dispatch, collect)";

    /// <summary>Resumes one stored run (its queue rows came back before the run was taken up).</summary>
    public required Func<string, CancellationToken, ValueTask> Resume { get; init; }

    /// <summary>Told once per worker death (not once per task it held): who, what.</summary>
    public required Action<string, string> OnWorkerLost { get; init; }

    /// <summary>What an operator should see: workers lost, tasks quarantined, store errors.</summary>
    public Action<string>? Log { get; set; }

    public void Start()
    {
        if (_loops.Length > 0)
        {
            return;
        }

        _loops = [Task.Run(_starter.LoopAsync), Task.Run(CollectLoopAsync)];
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _starter.Stop();
        await Task.WhenAll(_loops).ConfigureAwait(false);
    }

    /// <summary>Stops acting as the cluster's scheduler for a while (its leadership lapsed, e.g. while the
    /// database restarts) or again (<paramref name="suspended"/> false) once it leads again.</summary>
    public void Suspend(bool suspended) => _starter.Suspended = suspended;

    public int TakeIdle(int ready) => _starter.TakeIdle(ready);

    public void Wake(int count) => _starter.Wake(count);

    public PoolStatus Status() => PoolStatus.Empty;

    public async ValueTask<IReadOnlyList<WorkerInfo>?> ListWorkersAsync(CancellationToken cancellationToken) =>
        await _cluster.ListWorkersAsync(cancellationToken).ConfigureAwait(false);

    public Task BeginDrain() => Task.CompletedTask;

    public async ValueTask<Func<int, bool>?> AdoptionForAsync(RunExecution run, CancellationToken cancellationToken)
    {
        var rows = await _cluster.ListQueuedAsync(run.RunId, cancellationToken).ConfigureAwait(false);
        var outstanding = new HashSet<int>();
        lock (_coordinator.Gate)
        {
            foreach (var row in rows)
            {
                if (run.TryFindTask(row.TaskId, out var task)
                    && run.Slots[task].State == TaskState.Running && run.Slots[task].Attempts == row.Attempt)
                {
                    outstanding.Add(task);
                }
                else if (_consumed.Add(row.Id))
                {
                    _scheduler.Journal!.Add(Dequeue(row.RunId, row.Id));
                }
            }
        }

        return outstanding.Contains;
    }

    /// <summary>After a journal batch is committed: its Dequeued rows are gone from the store, and the rows
    /// of its cancelled runs are flagged (so no worker will ever claim one still unclaimed).</summary>
    public void Committed(List<StoreChange> batch)
    {
        var any = false;
        List<string>? cancelled = null;
        lock (_coordinator.Gate)
        {
            foreach (var change in batch)
            {
                if (change.Kind == StoreChangeKind.Dequeue)
                {
                    _consumed.Remove(change.QueueId);
                    any = true;
                }
                else if (change.Kind == StoreChangeKind.CancelQueued)
                {
                    (cancelled ??= []).Add(change.RunId);
                }
            }
        }

        if (any)
        {
            _dequeueCommitted.Release();
        }

        if (cancelled is not null)
        {
            _ = Task.Run(() => EndUnclaimedAsync(cancelled));
        }
    }

    /// <summary>A cancelled run's rows that no worker claimed will never be claimed (claims skip cancelled
    /// rows), so no outcome will come for them: their attempts end cancelled here, and the rows go. Rows a
    /// worker holds end when that worker's heartbeat hears of the cancel and it reports.</summary>
    private async Task EndUnclaimedAsync(List<string> runIds)
    {
        var token = _stop.Token;
        var pause = TimeSpan.FromMilliseconds(50);
        foreach (var runId in runIds)
        {
            while (!token.IsCancellationRequested)
            {
                IReadOnlyList<QueuedTask> rows;
                try
                {
                    rows = await _cluster.ListQueuedAsync(runId, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    Log?.Invoke($"reading the queued tasks of cancelled run {runId} failed ({ex.Message}); retrying");
                    if (!await BackOffAsync(pause, token).ConfigureAwait(false))
                    {
                        return;
                    }

                    pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
                    continue;
                }

                FollowUp follow;
                lock (_coordinator.Gate)
                {
                    if (_coordinator.Stopping || !_coordinator.Runs.TryGetValue(runId, out var run))
                    {
                        break;
                    }

                    foreach (var row in rows)
                    {
                        if (row.Worker is null && run.RunningAttempt(row.TaskId, row.Attempt) is { } item && _consumed.Add(row.Id))
                        {
                            _scheduler.Complete(item, TaskOutcome.Cancelled("cancelled before a worker took it"));
                            _scheduler.Journal!.Add(Dequeue(row.RunId, row.Id));
                        }
                    }

                    follow = _coordinator.TakeFollowUp();
                }

                _coordinator.Apply(follow);
                break;
            }
        }
    }

    private static StoreChange Dequeue(string runId, long queueId) => new() { Kind = StoreChangeKind.Dequeue, RunId = runId, QueueId = queueId };

    private async Task CollectLoopAsync()
    {
        var nextLostCheck = _time.GetUtcNow();
        var pause = TimeSpan.FromMilliseconds(50);
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                if (_starter.Suspended)
                {
#pragma warning disable RS0030 // Real time on purpose: waiting for a real database's lock to come back.
                    await Task.Delay(TimeSpan.FromMilliseconds(100), token).ConfigureAwait(false);
#pragma warning restore RS0030
                    continue;
                }

                // Rows already taken come back in every read until their Dequeue commits. A few are left out
                // of the read, so the outcomes that came while their commit is in flight (other branches of
                // the same runs, other runs) are taken in at once and join the next commit, instead of
                // waiting for that commit and then for a read. (A chain's next outcome comes only after the
                // commit that queued its task, so a chain's hop does not take this path.)
                // Many (a large batch of W1's) would make the read itself large: then wait for the journal
                // writer rather than read them again (on W1 the re-reads were a fifth of the database's
                // work); outcomes arriving meanwhile make the next read a larger one. Briefly: a commit
                // normally comes within tens of milliseconds, and a read is only wasted work.
                var skip = UndequeuedToSkip(out var many);
                if (many)
                {
                    await _dequeueCommitted.WaitAsync(DequeueWait, token).ConfigureAwait(false);
                    skip = UndequeuedToSkip(out _);
                }

                var done = await _cluster.ReadCompletionsExceptAsync(CollectBatch, skip, token).ConfigureAwait(false);
                IReadOnlyList<LostTask> lost = [];
                var now = _time.GetUtcNow();
                if (now >= nextLostCheck)
                {
                    lost = await _cluster.ReadLostTasksAsync(CollectBatch, token).ConfigureAwait(false);
                    nextLostCheck = now + _options.LostCheckEvery;
                }

                var fresh = Collect(done, lost, out var strangers);
                if (strangers is not null)
                {
                    await SettleStrangersAsync(strangers, token).ConfigureAwait(false);
                }

                pause = TimeSpan.FromMilliseconds(50);
                if (fresh > 0 && done.Count >= CollectBatch)
                {
                    continue;
                }

                if (fresh == 0 && done.Count > 0)
                {
                    // Only rows already taken: wait for their Dequeue to commit rather than re-read them.
                    await _dequeueCommitted.WaitAsync(_options.PollEvery, token).ConfigureAwait(false);
                    continue;
                }

                var wait = _options.PollEvery < _options.LostCheckEvery ? _options.PollEvery : _options.LostCheckEvery;
                await _cluster.WaitForSignalAsync(ClusterSignal.TasksCompleted, wait, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may be restarting: keep the scheduler's state and try again, more slowly.
                _coordinator.StoreError = ex.Message;
                Log?.Invoke($"reading completions failed ({ex.Message}); retrying in {pause.TotalMilliseconds:0} ms");
                if (!await BackOffAsync(pause, token).ConfigureAwait(false))
                {
                    return;
                }

                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private static async Task<bool> BackOffAsync(TimeSpan pause, CancellationToken token)
    {
        try
        {
#pragma warning disable RS0030 // Real time on purpose: back-off while a real database is away.
            await Task.Delay(pause, token).ConfigureAwait(false);
#pragma warning restore RS0030
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The rows taken in whose Dequeue has not committed, to leave out of the next read: none
    /// (and <paramref name="many"/>) when there are more than <see cref="SkipAtMost"/>.</summary>
    private long[] UndequeuedToSkip(out bool many)
    {
        lock (_coordinator.Gate)
        {
            many = _consumed.Count > SkipAtMost;
            return many || _consumed.Count == 0 ? [] : [.. _consumed];
        }
    }

    // Takes outcomes and lost attempts into the scheduler in one locked step; returns how many rows were
    // new. Rows of runs the engine does not hold are left for SettleStrangersAsync.
    private int Collect(IReadOnlyList<TaskCompletion> done, IReadOnlyList<LostTask> lost, out List<(long Id, string RunId)>? strangers)
    {
        strangers = null;
        var fresh = 0;
        List<LostTask>? crashes = null;
        List<(WorkItem Item, string Key, TaskOutcome Outcome)>? remember = null;
        FollowUp follow;
        lock (_coordinator.Gate)
        {
            if (_coordinator.Stopping)
            {
                return 0;
            }

            var journal = _scheduler.Journal!;
            var runs = _coordinator.Runs;
            foreach (var completion in done)
            {
                if (_consumed.Contains(completion.Id))
                {
                    continue;
                }

                if (!runs.TryGetValue(completion.RunId, out var run))
                {
                    (strangers ??= []).Add((completion.Id, completion.RunId));
                    continue;
                }

                fresh++;
                _consumed.Add(completion.Id);
                if (run.RunningAttempt(completion.TaskId, completion.Attempt) is { } item)
                {
                    run.Slots[item.Task].Worker = completion.Worker; // recorded with the attempt
                    if (completion.Outcome.Status == TaskOutcomeStatus.Interrupted)
                    {
                        // Handed back by a worker that stopped cleanly: runs again, and is no crash.
                        _scheduler.WorkerLost(item, $"interrupted: worker '{completion.Worker}' stopped before finishing ({completion.Outcome.Error})", crashed: false, _options.QuarantineAfter);
                    }
                    else
                    {
                        if (TakeCacheKey(item) is { } key)
                        {
                            (remember ??= []).Add((item, key, completion.Outcome));
                        }

                        _scheduler.Complete(item, completion.Outcome);
                    }
                }

                journal.Add(Dequeue(completion.RunId, completion.Id));
            }

            foreach (var task in lost)
            {
                if (_consumed.Contains(task.Id))
                {
                    continue;
                }

                if (!runs.TryGetValue(task.RunId, out var run))
                {
                    (strangers ??= []).Add((task.Id, task.RunId));
                    continue;
                }

                fresh++;
                _consumed.Add(task.Id);
                if (run.RunningAttempt(task.TaskId, task.Attempt) is { } item)
                {
                    run.Slots[item.Task].Worker = task.Worker;
                    _scheduler.WorkerLost(item, $"{Scheduler.WorkerLostPrefix}: worker '{task.Worker}' stopped renewing its lease while running this attempt", crashed: true, _options.QuarantineAfter);
                    (crashes ??= []).Add(task);
                }

                journal.Add(Dequeue(task.RunId, task.Id));
            }

            // What these outcomes made ready is queued in this same step: its rows commit with the dequeues.
            _starter.StartReady();
            follow = _coordinator.TakeFollowUp();
        }

        _coordinator.Apply(follow);

        foreach (var (item, key, outcome) in remember ?? [])
        {
            _cache.RememberIfCacheable(item, key, outcome);
        }

        foreach (var crash in crashes ?? [])
        {
            Log?.Invoke($"worker '{crash.Worker}' lost while running {crash.RunId}/{crash.TaskId} (attempt {crash.Attempt}); the task runs again");
            if (_lostWorkers.IsNewLoss(crash))
            {
                OnWorkerLost($"worker '{crash.Worker}'", $"lost while running {crash.RunId}/{crash.TaskId} (attempt {crash.Attempt})");
            }
        }

        return fresh;
    }

    /// <summary>Under the gate, with a worker's outcome of a running attempt: the key to remember it
    /// under, taken from the task (each dispatch sets it anew).</summary>
    private static string? TakeCacheKey(WorkItem item)
    {
        ref var slot = ref item.Run.Slots[item.Task];
        var key = slot.CacheKey;
        slot.CacheKey = null;
        return key;
    }

    // Queue rows of runs the engine does not hold: an unfinished run is taken up (its rows are then
    // collected on the next pass); rows of a finished or unknown run are stale and removed.
    private async Task SettleStrangersAsync(List<(long Id, string RunId)> strangers, CancellationToken token)
    {
        foreach (var group in strangers.GroupBy(s => s.RunId, StringComparer.Ordinal))
        {
            var run = await _store.GetRunAsync(group.Key, token).ConfigureAwait(false);
            if (run is not null && !run.State.IsFinal())
            {
                await Resume(group.Key, token).ConfigureAwait(false);
                continue;
            }

            FollowUp follow;
            lock (_coordinator.Gate)
            {
                foreach (var (id, runId) in group)
                {
                    if (_consumed.Add(id))
                    {
                        _scheduler.Journal!.Add(Dequeue(runId, id));
                    }
                }

                follow = _coordinator.TakeFollowUp();
            }

            _coordinator.Apply(follow);
        }
    }
}
