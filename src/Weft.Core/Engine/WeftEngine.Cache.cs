using Weft.Caching;
using Weft.Definitions;
using Weft.Execution;
using Weft.Scheduling;

namespace Weft;

public sealed partial class WeftEngine
{
    private readonly ResultCache _cache;

    /// <summary>Hits, misses, hit rate, evictions, entries and bytes of the result cache.</summary>
    public CacheStats GetCacheStats() => _cache.Stats();

    /// <summary>Runs one attempt, through the result cache when the task has <c>cache:</c>. Tasks
    /// without it pay one null check: no key, no hashing, no allocation.</summary>
    private ValueTask<TaskOutcome> ExecuteAttempt(WorkItem item, int attempt) =>
        item.Run.Plan.Tasks[item.Task].Cache is { } policy
            ? RunCachedAttemptAsync(item, attempt, policy)
            : RunAttempt(item, attempt);

    // A hit returns the stored output without calling hooks or the handler; the scheduler finishes
    // the task as cached. A miss runs the attempt and remembers a success.
    private async ValueTask<TaskOutcome> RunCachedAttemptAsync(WorkItem item, int attempt, CachePolicy policy)
    {
        if (CacheKeyOf(item, policy) is not { } key)
        {
            return await RunAttempt(item, attempt).ConfigureAwait(false);
        }

        if (await _cache.LookupAsync(key).ConfigureAwait(false) is { } hit)
        {
            return hit;
        }

        var outcome = await RunAttempt(item, attempt).ConfigureAwait(false);
        RememberIfCacheable(item, key, outcome);
        return outcome;
    }

    /// <summary>The task's cache key; null when a template in it cannot be resolved (the handler meets
    /// the same template and reports it as the task's failure, so the attempt runs uncached).</summary>
    private static string? CacheKeyOf(WorkItem item, CachePolicy policy)
    {
        try
        {
            return CacheKeys.For(item.Run, item.Task, policy);
        }
        catch (TemplateResolutionException)
        {
            return null;
        }
    }

    /// <summary>Keeps a successful outcome of a run not being cancelled, for the task's TTL.</summary>
    private void RememberIfCacheable(WorkItem item, string key, in TaskOutcome outcome)
    {
        if (outcome.IsSuccess && !item.Run.Cancellation.IsCancellationRequested)
        {
            _cache.Remember(key, outcome, item.Run.Plan.Tasks[item.Task].Cache?.Ttl ?? _options.Cache.DefaultTtl);
        }
    }
}
