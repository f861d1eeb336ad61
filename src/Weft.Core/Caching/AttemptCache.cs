using Weft.Definitions;
using Weft.Execution;
using Weft.Scheduling;

namespace Weft.Caching;

/// <summary>The result cache as attempts meet it, the same for a local slot and a cluster: a task
/// with <c>cache:</c> is looked up by its key (its resolved spec and upstream outputs) before it
/// runs, and a success of a run not being cancelled is remembered for the task's TTL. The local
/// pool looks up in the attempt itself (<see cref="RunAttempts"/>); the cluster dispatcher looks up
/// before it queues and remembers when the worker's outcome comes back.</summary>
internal sealed class AttemptCache(ResultCache results, CacheOptions options)
{
    public ResultCache Results => results;

    /// <summary>The task's cache key; null when a template in it cannot be resolved (the handler meets
    /// the same template and reports it as the task's failure, so the attempt runs uncached).</summary>
    public static string? KeyOf(WorkItem item, CachePolicy policy)
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

    public ValueTask<TaskOutcome?> LookupAsync(string key) => results.LookupAsync(key);

    /// <summary>Keeps a successful outcome of a run not being cancelled, for the task's TTL.</summary>
    public void RememberIfCacheable(WorkItem item, string key, in TaskOutcome outcome)
    {
        if (outcome.IsSuccess && !item.Run.Cancellation.IsCancellationRequested)
        {
            results.Remember(key, outcome, item.Run.TaskDef(item.Task).Cache?.Ttl ?? options.DefaultTtl);
        }
    }
}
