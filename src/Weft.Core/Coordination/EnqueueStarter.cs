using Weft.Caching;
using Weft.Cluster;
using Weft.Definitions;
using Weft.Execution;
using Weft.Scheduling;
using Weft.Storage;

namespace Weft.Coordination;

/// <summary>How a dispatcher whose runners are other processes (a cluster's queue, a transport) starts
/// tasks: each attempt the scheduler starts becomes an <see cref="StoreChangeKind.Enqueue"/> change in the
/// journal, committed with the task's running state before any worker can see it. A task with
/// <c>cache:</c> is looked up first, outside the lock (a lookup may read the store): a hit finishes it
/// without a worker, a miss is enqueued with its key kept on the task (<see cref="TaskSlot.CacheKey"/>).
///
/// <para>Tasks start in two places: the dispatcher's loop (<see cref="LoopAsync"/>), woken by the
/// coordinator's follow-ups when tasks become ready; and the locked step in which the dispatcher takes in
/// workers' outcomes (<see cref="StartReady"/>). The second is the hop of a chain: the tasks an outcome made
/// ready are journaled in the same step as the outcome, so the journal commits both at once and a hop
/// costs one commit of the store instead of two (the outcome, then, after the loop woke, the next start).</para></summary>
internal sealed class EnqueueStarter(Coordinator coordinator, AttemptCache cache)
{
    private readonly Scheduler _scheduler = coordinator.Scheduler;
    private readonly SemaphoreSlim _wake = new(0);
    private List<CacheCandidate>? _lookups; // gate: started tasks whose cache the loop consults
    private int _idle; // gate
    private volatile bool _suspended;
    private volatile bool _stopped;

    /// <summary>A cluster scheduler whose leadership lapsed starts nothing until it leads again.</summary>
    public bool Suspended
    {
        get => _suspended;
        set
        {
            _suspended = value;
            if (!value)
            {
                _wake.Release();
            }
        }
    }

    /// <summary>Under the gate: starts every task the scheduler lets start now (none while suspended).</summary>
    public void StartReady()
    {
        if (_suspended)
        {
            return;
        }

        var journal = _scheduler.Journal!;
        while (_scheduler.TryStartNext(out var item, out var attempt))
        {
            if (item.Run.TaskDef(item.Task).Cache is { } policy)
            {
                (_lookups ??= []).Add(new CacheCandidate(item, attempt, policy));
                continue;
            }

            journal.Add(EnqueueChange(item, attempt));
        }
    }

    /// <summary>Under the gate (<see cref="IDispatcher.TakeIdle"/>): whether to wake the loop, which is
    /// needed for ready tasks and for cache lookups an outcome's step left to it.</summary>
    public int TakeIdle(int ready)
    {
        if (_lookups is not null && ready == 0)
        {
            ready = 1;
        }

        var wake = Math.Min(_idle, ready);
        _idle -= wake;
        return wake;
    }

    public void Wake(int count) => _wake.Release(count);

    /// <summary>Ends <see cref="LoopAsync"/> at its next pass.</summary>
    public void Stop()
    {
        _stopped = true;
        _wake.Release();
    }

    /// <summary>The dispatcher's loop. One is enough: a start is a journal append, not a round trip.</summary>
    public async Task LoopAsync()
    {
        while (true)
        {
            FollowUp follow;
            List<CacheCandidate>? lookups;
            lock (coordinator.Gate)
            {
                if (coordinator.Stopping || _stopped)
                {
                    return;
                }

                StartReady();
                lookups = _lookups;
                _lookups = null;
                if (lookups is null)
                {
                    _idle++;
                }

                follow = coordinator.TakeFollowUp();
            }

            coordinator.Apply(follow);
            if (lookups is not null)
            {
                // A hit finishes its task, which may make others ready: go round again before waiting.
                await ConsultCacheAsync(lookups).ConfigureAwait(false);
                continue;
            }

            await _wake.WaitAsync().ConfigureAwait(false);
        }
    }

    private static StoreChange EnqueueChange(WorkItem item, int attempt) => new()
    {
        Kind = StoreChangeKind.Enqueue,
        RunId = item.Run.RunId,
        TaskId = item.Run.TaskId(item.Task),
        Attempt = attempt,
        Queue = item.Run.TaskDef(item.Task).Queue,
        Payload = TaskPayload.Build(item.Run, item.Task),
    };

    /// <summary>A started task whose cache must be consulted before it is enqueued.</summary>
    private readonly record struct CacheCandidate(WorkItem Item, int Attempt, CachePolicy Policy);

    /// <summary>Looks each candidate up (outside the lock), then, under the lock, finishes the hits and
    /// enqueues the misses. A candidate whose attempt is no longer running (its run was cancelled
    /// meanwhile) is left alone.</summary>
    private async Task ConsultCacheAsync(List<CacheCandidate> candidates)
    {
        var found = new (TaskOutcome? Hit, string? Key)[candidates.Count];
        for (var i = 0; i < candidates.Count; i++)
        {
            var (item, _, policy) = candidates[i];
            if (AttemptCache.KeyOf(item, policy) is { } key)
            {
                found[i] = (await cache.LookupAsync(key).ConfigureAwait(false), key);
            }
        }

        FollowUp follow;
        lock (coordinator.Gate)
        {
            if (coordinator.Stopping)
            {
                return;
            }

            var journal = _scheduler.Journal!;
            for (var i = 0; i < candidates.Count; i++)
            {
                var (item, attempt, _) = candidates[i];
                if (item.Run.RunningAttempt(item.Run.TaskId(item.Task), attempt) is null)
                {
                    continue;
                }

                if (found[i].Hit is { } hit)
                {
                    _scheduler.Complete(item, hit);
                    continue;
                }

                item.Run.Slots[item.Task].CacheKey = found[i].Key; // null: enqueued without a key (a template error)
                journal.Add(EnqueueChange(item, attempt));
            }

            follow = coordinator.TakeFollowUp();
        }

        coordinator.Apply(follow);
    }
}
