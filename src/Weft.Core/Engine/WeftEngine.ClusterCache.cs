using Weft.Caching;
using Weft.Definitions;
using Weft.Execution;
using Weft.Scheduling;
using Weft.Storage;

namespace Weft;

// The result cache on a cluster. Workers run tasks, but the cache belongs to the scheduler, which
// holds what a key is made of (the task's resolved spec and its upstream outputs): a task with
// `cache:` is looked up before it is queued. A hit finishes it as cached without a queue row; a miss
// is queued as usual, and its success is remembered when a worker's outcome comes back. So a
// workflow that uses the cache behaves the same embedded and on a cluster.
public sealed partial class WeftEngine
{
    /// <summary>Keys of queued cacheable tasks, remembered when their attempt succeeds (under the lock).</summary>
    private readonly Dictionary<WorkItem, (int Attempt, string Key, TimeSpan Ttl)> _cacheOnSuccess = [];

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
            string key;
            try
            {
                key = CacheKeys.For(item.Run, item.Task, policy);
            }
            catch (TemplateResolutionException)
            {
                continue; // queued without a key: the worker meets the same template and reports it
            }

            found[i] = (await _cache.LookupAsync(key).ConfigureAwait(false), key);
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
                var (item, attempt, policy) = candidates[i];
                if (RunningAttempt(item.Run, item.Run.Plan.TaskIds[item.Task], attempt) is null)
                {
                    continue;
                }

                if (found[i].Hit is { } hit)
                {
                    _scheduler.Complete(item, hit);
                    continue;
                }

                journal.Add(EnqueueChange(item, attempt));
                if (found[i].Key is { } key)
                {
                    _cacheOnSuccess[item] = (attempt, key, policy.Ttl ?? _options.Cache.DefaultTtl);
                }
            }

            follow = TakeFollowUp();
        }

        Apply(follow);
    }

    /// <summary>Call under the lock with a worker's outcome: the key to remember a success under, if
    /// the task was queued after a cache miss.</summary>
    private (string Key, TimeSpan Ttl)? CacheKeyFor(WorkItem item, int attempt, in TaskOutcome outcome)
    {
        if (_cacheOnSuccess.Count == 0 || !_cacheOnSuccess.Remove(item, out var entry) || entry.Attempt != attempt)
        {
            return null;
        }

        return outcome.IsSuccess && !item.Run.Cancellation.IsCancellationRequested ? (entry.Key, entry.Ttl) : null;
    }
}
