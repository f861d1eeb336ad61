using System.Collections.Concurrent;
using System.Text.Json;
using Weft.Definitions;
using Weft.Execution;

namespace Weft.Cluster;

/// <summary>Running one claimed task: its definition (fetched once per hash), the handler for its
/// kind, the values its templates need from the payload, its timeout and cancellation.</summary>
public sealed partial class ClusterWorker
{
    private readonly ConcurrentDictionary<string, CompiledDefinition> _definitions = new(StringComparer.Ordinal);
    // Not disposed: it has no wait handle, and a task abandoned at stop may still be waiting on it.
    private readonly SemaphoreSlim _definitionFetch = new(1, 1);

    private async Task RunAsync(RunningTask task)
    {
        var startedAt = _time.GetUtcNow();
        TaskOutcome outcome;
        var holdsSlot = false;
        try
        {
            // A prefetched task waits here for a slot, still cancellable (run cancelled, worker stopping).
            await _slotGate.WaitAsync(task.Token).ConfigureAwait(false);
            holdsSlot = true;
            task.Started = true;
            startedAt = _time.GetUtcNow();
            outcome = await ExecuteAsync(task.Row, task.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // ExecuteAsync turns the handler's failures into outcomes; this is a worker bug or a stop.
            outcome = AttemptGuard.OutcomeOf(ex, task.Token);
        }
        finally
        {
            if (holdsSlot)
            {
                _slotGate.Release();
            }
        }

        var row = task.Row;
        AddCompletion(new TaskCompletion
        {
            Id = row.Id,
            RunId = row.RunId,
            TaskId = row.TaskId,
            Attempt = row.Attempt,
            Worker = Name,
            Outcome = task.Recorded(outcome),
            StartedAt = startedAt,
            FinishedAt = _time.GetUtcNow(),
        });
        _running.TryRemove(row.Id, out _);
        _slotFreed.Set();
    }

    private async ValueTask<TaskOutcome> ExecuteAsync(QueuedTask row, CancellationToken token)
    {
        var definition = await DefinitionAsync(row.DefinitionHash, token).ConfigureAwait(false);
        if (definition is null)
        {
            return TaskOutcome.Failed($"the workflow definition of run '{row.RunId}' (hash {row.DefinitionHash}) is not in the store");
        }

        if (!definition.Tasks.TryGetValue(row.TaskId, out var task))
        {
            return TaskOutcome.Failed($"workflow '{definition.Workflow.Name}' has no task '{row.TaskId}'");
        }

        if (!_handlers.TryGetValue(task.Kind, out var handler))
        {
            return TaskOutcome.Failed($"worker '{Name}' has no handler for kind '{task.Kind}' (it runs: {string.Join(", ", _handlers.Keys.Order(StringComparer.Ordinal))})");
        }

        ITemplateValues values;
        try
        {
            values = TaskPayload.Read(row.Payload);
        }
        catch (JsonException ex)
        {
            return TaskOutcome.Failed($"the task's template values cannot be read: {ex.Message}");
        }

        var invocation = new TaskInvocation
        {
            RunId = row.RunId,
            WorkflowName = definition.Workflow.Name,
            TaskId = row.TaskId,
            Attempt = row.Attempt,
            Spec = task.Spec,
            CancellationToken = token,
            TimeProvider = _time,
            OutputLimit = _outputLimit,
            Values = values,
        };
        return await AttemptGuard.RunAsync(handler, invocation, task.Timeout, token, _time).ConfigureAwait(false);
    }

    /// <summary>The definition under <paramref name="hash"/>, fetched once (retrying while the store is
    /// unavailable, until the task is cancelled); null when the store does not know it.</summary>
    private async ValueTask<CompiledDefinition?> DefinitionAsync(string hash, CancellationToken token)
    {
        if (_definitions.TryGetValue(hash, out var known))
        {
            return known;
        }

        // One fetch at a time: the first tasks of a new run start together, and each parsing a large
        // definition of its own kept a 2-core worker busy for seconds (2,000 tasks: 12 parses, 6 s).
        await _definitionFetch.WaitAsync(token).ConfigureAwait(false);
        try
        {
            return _definitions.TryGetValue(hash, out known) ? known : await FetchDefinitionAsync(hash, token).ConfigureAwait(false);
        }
        finally
        {
            _definitionFetch.Release();
        }
    }

    private async ValueTask<CompiledDefinition?> FetchDefinitionAsync(string hash, CancellationToken token)
    {
        var retry = new StoreRetry($"worker '{Name}' definition {hash}", _time, _log);
        while (true)
        {
            WorkflowDefinition? definition;
            try
            {
                definition = await _store.GetDefinitionAsync(hash, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                await retry.FailedAsync(ex, token).ConfigureAwait(false);
                continue;
            }

            retry.Succeeded();
            return definition is null ? null : _definitions.GetOrAdd(hash, _ => new CompiledDefinition(definition));
        }
    }

    private sealed class CompiledDefinition(WorkflowDefinition workflow)
    {
        public WorkflowDefinition Workflow { get; } = workflow;

        public Dictionary<string, TaskDefinition> Tasks { get; } = workflow.Tasks.ToDictionary(t => t.Id, StringComparer.Ordinal);
    }
}
