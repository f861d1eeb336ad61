using Weft.Caching;
using Weft.Definitions;
using Weft.Scheduling;

namespace Weft.Execution;

/// <summary>Runs one attempt of a task of a run this engine holds: the invocation built from the run,
/// the result cache in front when the task has <c>cache:</c>, then the <see cref="AttemptExecutor"/>
/// that cluster workers use too. Tasks without <c>cache:</c> pay one null check: no key, no hashing,
/// no allocation.</summary>
internal sealed class RunAttempts(AttemptExecutor executor, AttemptCache cache, TimeProvider time, int outputLimit)
{
    public ValueTask<TaskOutcome> ExecuteAsync(WorkItem item, int attempt) =>
        item.Run.TaskDef(item.Task).Cache is { } policy
            ? RunCachedAsync(item, attempt, policy)
            : Run(item, attempt);

    // A hit returns the stored output without calling hooks or the handler; the scheduler finishes
    // the task as cached. A miss runs the attempt and remembers a success.
    private async ValueTask<TaskOutcome> RunCachedAsync(WorkItem item, int attempt, CachePolicy policy)
    {
        if (AttemptCache.KeyOf(item, policy) is not { } key)
        {
            return await Run(item, attempt).ConfigureAwait(false);
        }

        if (await cache.LookupAsync(key).ConfigureAwait(false) is { } hit)
        {
            return hit;
        }

        var outcome = await Run(item, attempt).ConfigureAwait(false);
        cache.RememberIfCacheable(item, key, outcome);
        return outcome;
    }

    private ValueTask<TaskOutcome> Run(WorkItem item, int attempt)
    {
        var run = item.Run;
        var task = run.TaskDef(item.Task);
        var invocation = new TaskInvocation
        {
            RunId = run.RunId,
            WorkflowName = run.WorkflowName,
            TaskId = run.TaskId(item.Task),
            Attempt = attempt,
            Spec = task.Spec,
            CancellationToken = run.Cancellation.Token,
            TimeProvider = time,
            OutputLimit = outputLimit,
            Values = run.ValuesFor(item.Task),
        };
        return executor.RunAsync(run.Plan.HandlerOf(run.DefIndex(item.Task)), invocation, task.Timeout);
    }
}
