using Weft.Cluster;
using Weft.Definitions;
using Weft.Scheduling;
using Weft.Storage;

namespace Weft;

// Cluster mode (DESIGN.md "Modes"): when the store is an IClusterStore, this engine is the cluster's
// scheduler. Its slots do not run tasks: a dispatcher turns each task the scheduler starts into a queue
// row (journaled in the same transaction as the task's running state), worker processes claim and run
// them, and a collector feeds their recorded outcomes, and the attempts of workers that died, back into
// the scheduler. Everything else (ordering, gates, retries, the journal) is the embedded engine's.
public sealed partial class WeftEngine
{
    private const int CollectBatch = 4096;
    private readonly CancellationTokenSource _clusterStop = new();
    private readonly SemaphoreSlim _dequeueCommitted = new(0);

    // Queue rows whose outcome is in the scheduler but whose Dequeue is not yet committed: the store
    // still returns them, and they must not be taken twice.
    private readonly HashSet<long> _consumed = [];
    private readonly LostWorkerTally _lostWorkers = new();
    private IClusterStore? _cluster;
    private Task[] _clusterLoops = [];
    private volatile bool _clusterSuspended;

    /// <summary>True when this engine schedules a cluster: its tasks run on worker processes.</summary>
    public bool IsClusterScheduler => _cluster is not null;

    /// <summary>Called (on a background thread) for what the cluster scheduler wants an operator to see:
    /// workers lost, tasks quarantined, store errors.</summary>
    internal Action<string>? ClusterLog { get; set; }

    private void StartCluster(IClusterStore cluster)
    {
        _cluster = cluster;
        _scheduler.Distributed = true;
        var loops = new List<Task> { Task.Run(DispatchLoopAsync), Task.Run(CollectLoopAsync) };
        if (_options.Cluster.TakeSubmittedRuns)
        {
            loops.Add(Task.Run(IntakeLoopAsync));
        }

        _clusterLoops = [.. loops];
    }

    /// <summary>Stops acting as the cluster's scheduler for a while (its leadership lapsed, e.g. while the
    /// database restarts) or again (<paramref name="suspended"/> false) once it leads again.</summary>
    internal void SuspendCluster(bool suspended)
    {
        _clusterSuspended = suspended;
        if (!suspended)
        {
            _wake.Release();
        }
    }

    /// <summary>Takes up every unfinished run recorded in the store that this engine does not have: what a
    /// scheduler does when it becomes the leader. Returns how many it took up.</summary>
    public async ValueTask<int> TakeUpUnfinishedRunsAsync(CancellationToken cancellationToken = default)
    {
        var taken = 0;
        foreach (var runId in await FindUnfinishedRunsAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await ResumeAsync(runId, cancellationToken).ConfigureAwait(false);
                taken++;
            }
            catch (Exception ex) when (ex is WorkflowValidationException or WeftConfigurationException)
            {
                // It can never run here (e.g. a kind this scheduler does not know): say so in the record
                // rather than leave it pending for ever.
                var reason = ex is WeftConfigurationException c ? string.Join("; ", c.Errors) : ex.Message;
                ClusterLog?.Invoke($"run {runId} cannot be scheduled: {reason}");
                await RefuseStoredRunAsync(runId, reason, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                ClusterLog?.Invoke($"could not take up run {runId}: {ex.Message}");
            }
        }

        return taken;
    }

    private async Task RefuseStoredRunAsync(string runId, string reason, CancellationToken cancellationToken)
    {
        var stored = await _store.LoadRunAsync(runId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var changes = new List<StoreChange>();
        foreach (var task in stored.Record.Definition.Tasks)
        {
            changes.Add(new StoreChange
            {
                Kind = StoreChangeKind.Task,
                RunId = runId,
                TaskId = task.Id,
                TaskState = TaskState.Failed,
                FinishedAt = now,
                Error = $"not run: the cluster's scheduler cannot run this workflow: {reason}",
            });
        }

        changes.Add(new StoreChange { Kind = StoreChangeKind.Run, RunId = runId, RunState = RunState.Failed, StartedAt = now, FinishedAt = now });
        await _store.WriteAsync(changes, cancellationToken).ConfigureAwait(false);
    }

    // One loop is enough: a dispatch is a journal append, not a round trip.
    private async Task DispatchLoopAsync()
    {
        while (true)
        {
            FollowUp follow;
            List<CacheCandidate>? cacheable = null;
            lock (_gate)
            {
                if (_stopping)
                {
                    return;
                }

                if (!_clusterSuspended)
                {
                    var journal = _scheduler.Journal!;
                    while (_scheduler.TryStartNext(out var item, out var attempt))
                    {
                        if (item.Run.Plan.Tasks[item.Task].Cache is { } policy)
                        {
                            (cacheable ??= []).Add(new CacheCandidate(item, attempt, policy));
                            continue;
                        }

                        journal.Add(EnqueueChange(item, attempt));
                    }
                }

                if (cacheable is null)
                {
                    _idle++;
                }

                follow = TakeFollowUp();
            }

            Apply(follow);
            if (cacheable is not null)
            {
                // A hit finishes its task, which may make others ready: go round again before waiting.
                await ConsultCacheAsync(cacheable).ConfigureAwait(false);
                continue;
            }

            await _wake.WaitAsync().ConfigureAwait(false);
        }
    }

    private static StoreChange EnqueueChange(WorkItem item, int attempt) => new()
    {
        Kind = StoreChangeKind.Enqueue,
        RunId = item.Run.RunId,
        TaskId = item.Run.Plan.TaskIds[item.Task],
        Attempt = attempt,
        Queue = QueueOf(item),
        Payload = TaskPayload.Build(item.Run, item.Task),
    };

    private static string QueueOf(WorkItem item) => item.Run.Plan.Tasks[item.Task].Queue;

    private async Task CollectLoopAsync()
    {
        var cluster = _cluster!;
        var options = _options.Cluster;
        var nextLostCheck = _time.GetUtcNow();
        var pause = TimeSpan.FromMilliseconds(50);
        var token = _clusterStop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                if (_clusterSuspended)
                {
#pragma warning disable RS0030 // Real time on purpose: waiting for a real database's lock to come back.
                    await Task.Delay(TimeSpan.FromMilliseconds(100), token).ConfigureAwait(false);
#pragma warning restore RS0030
                    continue;
                }

                if (HasUndequeued())
                {
                    // Rows already taken come back in every read until their Dequeue commits: wait for the
                    // journal writer rather than read them again (on W1 the re-reads were a fifth of the
                    // database's work); outcomes arriving meanwhile make the next read a larger one. Briefly:
                    // a commit normally comes within tens of milliseconds, and a read is only wasted work.
                    await _dequeueCommitted.WaitAsync(DequeueWait, token).ConfigureAwait(false);
                }

                var done = await cluster.ReadCompletionsAsync(CollectBatch, token).ConfigureAwait(false);
                IReadOnlyList<LostTask> lost = [];
                var now = _time.GetUtcNow();
                if (now >= nextLostCheck)
                {
                    lost = await cluster.ReadLostTasksAsync(CollectBatch, token).ConfigureAwait(false);
                    nextLostCheck = now + options.LostCheckEvery;
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
                    await _dequeueCommitted.WaitAsync(options.PollEvery, token).ConfigureAwait(false);
                    continue;
                }

                var wait = options.PollEvery < options.LostCheckEvery ? options.PollEvery : options.LostCheckEvery;
                await cluster.WaitForSignalAsync(ClusterSignal.TasksCompleted, wait, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may be restarting: keep the scheduler's state and try again, more slowly.
                StoreError = ex.Message;
                ClusterLog?.Invoke($"reading completions failed ({ex.Message}); retrying in {pause.TotalMilliseconds:0} ms");
                try
                {
#pragma warning disable RS0030 // Real time on purpose: back-off while a real database is away.
                    await Task.Delay(pause, token).ConfigureAwait(false);
#pragma warning restore RS0030
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    /// <summary>The longest the collector waits for its dequeues to commit before it reads anyway.</summary>
    private static readonly TimeSpan DequeueWait = TimeSpan.FromMilliseconds(200);

    private bool HasUndequeued()
    {
        lock (_gate)
        {
            return _consumed.Count > 0;
        }
    }

    // Takes outcomes and lost attempts into the scheduler in one locked step; returns how many rows were
    // new. Rows of runs this engine does not know are left for SettleStrangersAsync.
    private int Collect(IReadOnlyList<TaskCompletion> done, IReadOnlyList<LostTask> lost, out List<(long Id, string RunId)>? strangers)
    {
        strangers = null;
        var fresh = 0;
        List<LostTask>? crashes = null;
        List<(WorkItem Item, string Key, Execution.TaskOutcome Outcome)>? remember = null;
        FollowUp follow;
        lock (_gate)
        {
            if (_stopping)
            {
                return 0;
            }

            var journal = _scheduler.Journal!;
            foreach (var completion in done)
            {
                if (_consumed.Contains(completion.Id))
                {
                    continue;
                }

                if (!_runs.TryGetValue(completion.RunId, out var run))
                {
                    (strangers ??= []).Add((completion.Id, completion.RunId));
                    continue;
                }

                fresh++;
                _consumed.Add(completion.Id);
                if (RunningAttempt(run, completion.TaskId, completion.Attempt) is { } item)
                {
                    run.Slots[item.Task].Worker = completion.Worker; // recorded with the attempt
                    if (completion.Outcome.Status == Execution.TaskOutcomeStatus.Interrupted)
                    {
                        // Handed back by a worker that stopped cleanly: runs again, and is no crash.
                        _scheduler.WorkerLost(item, $"interrupted: worker '{completion.Worker}' stopped before finishing ({completion.Outcome.Error})", crashed: false, _options.Cluster.QuarantineAfter);
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

                journal.Add(new StoreChange { Kind = StoreChangeKind.Dequeue, RunId = completion.RunId, QueueId = completion.Id });
            }

            foreach (var task in lost)
            {
                if (_consumed.Contains(task.Id))
                {
                    continue;
                }

                if (!_runs.TryGetValue(task.RunId, out var run))
                {
                    (strangers ??= []).Add((task.Id, task.RunId));
                    continue;
                }

                fresh++;
                _consumed.Add(task.Id);
                if (RunningAttempt(run, task.TaskId, task.Attempt) is { } item)
                {
                    run.Slots[item.Task].Worker = task.Worker;
                    _scheduler.WorkerLost(item, $"{Scheduler.WorkerLostPrefix}: worker '{task.Worker}' stopped renewing its lease while running this attempt", crashed: true, _options.Cluster.QuarantineAfter);
                    (crashes ??= []).Add(task);
                }

                journal.Add(new StoreChange { Kind = StoreChangeKind.Dequeue, RunId = task.RunId, QueueId = task.Id });
            }

            follow = TakeFollowUp();
        }

        Apply(follow);
        foreach (var (item, key, outcome) in remember ?? [])
        {
            RememberIfCacheable(item, key, outcome);
        }

        foreach (var crash in crashes ?? [])
        {
            ClusterLog?.Invoke($"worker '{crash.Worker}' lost while running {crash.RunId}/{crash.TaskId} (attempt {crash.Attempt}); the task runs again");
            OnWorkerLost(crash);
        }

        return fresh;
    }

    private static WorkItem? RunningAttempt(RunExecution run, string taskId, int attempt)
    {
        if (!run.Plan.IndexOf.TryGetValue(taskId, out var task))
        {
            return null;
        }

        ref readonly var slot = ref run.Slots[task];
        return slot.State == TaskState.Running && slot.Attempts == attempt ? new WorkItem(run, task) : null;
    }

    // Queue rows of runs this engine does not hold: an unfinished run is taken up (its rows are then
    // collected on the next pass); rows of a finished or unknown run are stale and removed.
    private async Task SettleStrangersAsync(List<(long Id, string RunId)> strangers, CancellationToken token)
    {
        foreach (var group in strangers.GroupBy(s => s.RunId, StringComparer.Ordinal))
        {
            var run = await _store.GetRunAsync(group.Key, token).ConfigureAwait(false);
            if (run is not null && !run.State.IsFinal())
            {
                await ResumeAsync(group.Key, token).ConfigureAwait(false);
                continue;
            }

            FollowUp follow;
            lock (_gate)
            {
                foreach (var (id, runId) in group)
                {
                    if (_consumed.Add(id))
                    {
                        _scheduler.Journal!.Add(new StoreChange { Kind = StoreChangeKind.Dequeue, RunId = runId, QueueId = id });
                    }
                }

                follow = TakeFollowUp();
            }

            Apply(follow);
        }
    }

    private async Task IntakeLoopAsync()
    {
        var cluster = _cluster!;
        var token = _clusterStop.Token;
        var pause = TimeSpan.FromMilliseconds(50);
        while (!token.IsCancellationRequested)
        {
            try
            {
                if (!_clusterSuspended)
                {
                    await TakeUpUnfinishedRunsAsync(token).ConfigureAwait(false);
                }

                pause = TimeSpan.FromMilliseconds(50);
                await cluster.WaitForSignalAsync(ClusterSignal.RunSubmitted, _options.Cluster.PollEvery, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (Exception ex)
            {
                ClusterLog?.Invoke($"looking for submitted runs failed ({ex.Message}); retrying");
                try
                {
#pragma warning disable RS0030 // Real time on purpose: back-off while a real database is away.
                    await Task.Delay(pause, token).ConfigureAwait(false);
#pragma warning restore RS0030
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    /// <summary>Which running tasks of a run being taken up still have their attempt out with a worker
    /// (so they are adopted, not interrupted); queue rows that match no running attempt are removed.</summary>
    private async ValueTask<Func<int, bool>?> AdoptionFor(RunExecution run, CancellationToken cancellationToken)
    {
        if (_cluster is null)
        {
            return null;
        }

        var rows = await _cluster.ListQueuedAsync(run.RunId, cancellationToken).ConfigureAwait(false);
        var outstanding = new HashSet<int>();
        lock (_gate)
        {
            foreach (var row in rows)
            {
                if (run.Plan.IndexOf.TryGetValue(row.TaskId, out var task)
                    && run.Slots[task].State == TaskState.Running && run.Slots[task].Attempts == row.Attempt)
                {
                    outstanding.Add(task);
                }
                else if (_consumed.Add(row.Id))
                {
                    _scheduler.Journal!.Add(new StoreChange { Kind = StoreChangeKind.Dequeue, RunId = row.RunId, QueueId = row.Id });
                }
            }
        }

        return outstanding.Contains;
    }

    /// <summary>After a journal batch is committed: its Dequeued rows are gone from the store.</summary>
    private void DequeuesStored(List<StoreChange> batch)
    {
        if (_cluster is null)
        {
            return;
        }

        var any = false;
        lock (_gate)
        {
            foreach (var change in batch)
            {
                if (change.Kind == StoreChangeKind.Dequeue)
                {
                    _consumed.Remove(change.QueueId);
                    any = true;
                }
            }
        }

        if (any)
        {
            _dequeueCommitted.Release();
        }
    }

    private async Task StopClusterAsync()
    {
        if (_cluster is null)
        {
            return;
        }

        await _clusterStop.CancelAsync().ConfigureAwait(false);
        _wake.Release();
        await Task.WhenAll(_clusterLoops).ConfigureAwait(false);
    }

    private void OnWorkerLost(LostTask task)
    {
        if (_lostWorkers.IsNewLoss(task))
        {
            ReportWorkerCrash($"worker '{task.Worker}'", $"lost while running {task.RunId}/{task.TaskId} (attempt {task.Attempt})");
        }
    }
}
