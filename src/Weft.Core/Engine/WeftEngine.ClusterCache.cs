using Weft.Definitions;
using Weft.Execution;
using Weft.Scheduling;

namespace Weft;

// The result cache on a cluster. Workers run tasks, but the cache belongs to the scheduler, which
// holds what a key is made of (the task's resolved spec and its upstream outputs): a task with
// `cache:` is looked up before it is queued. A hit finishes it as cached without a queue row; a miss
// is queued as usual with its key kept on the task (TaskSlot.CacheKey), and its success is remembered
// when a worker's outcome comes back. So a workflow that uses the cache behaves the same embedded
// and on a cluster.
public sealed partial class WeftEngine
{
    /// <summary>A task started by the dispatcher whose cache must be consulted before it is queued.</summary>
    private readonly record struct CacheCandidate(WorkItem Item, int Attempt, CachePolicy Policy);

    /// <summary>Looks each candidate up (outside the lock: a lookup may read the store), then, under
    /// the lock, finishes the hits and queues the misses. A candidate whose attempt is no longer
    /// running (its run was cancelled meanwhile) is left alone.</summary>
    private async Task ConsultCacheAsync(List<CacheCandidate> candidates)
    {
        var found = new (TaskOutcome? Hit, string? Key)[candidates.Count];
        for (var i = 0; i < candidates.Count; i++)
        {
            var (item, _, policy) = candidates[i];
            if (CacheKeyOf(item, policy) is { } key)
            {
                found[i] = (await _cache.LookupAsync(key).ConfigureAwait(false), key);
            }
        }

        FollowUp follow;
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            var journal = _scheduler.Journal!;
            for (var i = 0; i < candidates.Count; i++)
            {
                var (item, attempt, _) = candidates[i];
                if (RunningAttempt(item.Run, item.Run.Plan.TaskIds[item.Task], attempt) is null)
                {
                    continue;
                }

                if (found[i].Hit is { } hit)
                {
                    _scheduler.Complete(item, hit);
                    continue;
                }

                item.Run.Slots[item.Task].CacheKey = found[i].Key; // null: queued without a key (a template error)
                journal.Add(EnqueueChange(item, attempt));
            }

            follow = TakeFollowUp();
        }

        Apply(follow);
    }

    /// <summary>Call under the lock with a worker's outcome of a running attempt: the key to remember
    /// it under, taken from the task (each dispatch sets it anew).</summary>
    private static string? TakeCacheKey(WorkItem item)
    {
        ref var slot = ref item.Run.Slots[item.Task];
        var key = slot.CacheKey;
        slot.CacheKey = null;
        return key;
    }
}
