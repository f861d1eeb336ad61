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
        string key;
        try
        {
            key = CacheKeys.For(item.Run, item.Task, policy);
        }
        catch (TemplateResolutionException)
        {
            // The handler meets the same template and reports it as the task's failure.
            return await RunAttempt(item, attempt).ConfigureAwait(false);
        }

        if (await _cache.LookupAsync(key).ConfigureAwait(false) is { } hit)
        {
            return hit;
        }

        var outcome = await RunAttempt(item, attempt).ConfigureAwait(false);
        if (outcome.IsSuccess && !item.Run.Cancellation.IsCancellationRequested)
        {
            _cache.Remember(key, outcome, policy.Ttl ?? _options.Cache.DefaultTtl);
        }

        return outcome;
    }
}
