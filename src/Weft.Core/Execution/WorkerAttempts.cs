using System.Text.Json;
using Weft.Cluster;
using Weft.Definitions;

namespace Weft.Execution;

/// <summary>One attempt of a task on a worker process (PostgreSQL queue or NATS), once the worker has
/// found the task in its workflow's definition: the handler for its kind, the template values and the
/// engine's default timeout from the attempt's payload, then the shared <see cref="AttemptExecutor"/>.
/// Where the definition comes from is the transport's; how the attempt runs is this.</summary>
internal sealed class WorkerAttempts(string worker, ClusterWorkerOptions options)
{
    private readonly Dictionary<string, ITaskHandler> _handlers = Handlers.HandlerTable.Create(options.Functions, options.Handlers, options.Http, options.Containers);
    private readonly AttemptExecutor _executor = new(options.Hooks, options.TimeProvider);

    /// <summary>The kinds this worker runs.</summary>
    public IReadOnlyCollection<string> Kinds => _handlers.Keys;

    public async ValueTask<TaskOutcome> RunAsync(string workflow, TaskDefinition task, string runId, int attempt, string? payload, CancellationToken token, string? taskId = null)
    {
        if (!_handlers.TryGetValue(task.Kind, out var handler))
        {
            return TaskOutcome.Failed($"worker '{worker}' has no handler for kind '{task.Kind}' (it runs: {string.Join(", ", _handlers.Keys.Order(StringComparer.Ordinal))})");
        }

        ITemplateValues values;
        TimeSpan? engineTimeout;
        try
        {
            values = TaskPayload.Read(payload, out engineTimeout);
        }
        catch (JsonException ex)
        {
            return TaskOutcome.Failed($"the task's template values cannot be read: {ex.Message}");
        }

        var invocation = new TaskInvocation
        {
            RunId = runId,
            WorkflowName = workflow,
            TaskId = taskId ?? task.Id,
            Attempt = attempt,
            Spec = task.Spec,
            CancellationToken = token,
            TimeProvider = options.TimeProvider,
            OutputLimit = options.OutputLimitBytes,
            Values = values,
        };
        return await _executor.RunAsync(handler, invocation, engineTimeout ?? task.Timeout).ConfigureAwait(false);
    }
}
