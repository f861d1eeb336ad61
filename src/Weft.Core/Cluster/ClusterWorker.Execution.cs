using System.Collections.Concurrent;
using Weft.Definitions;
using Weft.Execution;

namespace Weft.Cluster;

/// <summary>Running one claimed task: its definition (fetched once per hash), the handler for its
/// kind, the values its templates need from the payload, its timeout and cancellation.</summary>
public sealed partial class ClusterWorker
{
    private readonly ConcurrentDictionary<string, CompiledDefinition> _definitions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<CompiledDefinition?>> _fetching = new(StringComparer.Ordinal);

    private async Task RunAsync(RunningTask task)
    {
        var startedAt = _time.GetUtcNow();
        TaskOutcome outcome;
        var holdsSlot = false;
        try
        {
            // A prefetched task waits here for a slot, still cancellable (run cancelled, worker stopping),
            // unless it is handed back to the queue meanwhile (GiveBackLoopAsync): then it ends unrecorded.
            if (!await WaitForSlotAsync(task).ConfigureAwait(false))
            {
                return;
            }

            holdsSlot = true;
            startedAt = _time.GetUtcNow();
            var began = _time.GetTimestamp();
            outcome = await ExecuteAsync(task.Row, task.Token).ConfigureAwait(false);
            _prefetch.Record(_time.GetElapsedTime(began));
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
        _running.TryRemove(new KeyValuePair<long, RunningTask>(row.Id, task));
        _slotFreed.Set();
    }

    /// <summary>Takes a slot for <paramref name="task"/>; false when it was given back instead.</summary>
    private async Task<bool> WaitForSlotAsync(RunningTask task)
    {
        while (true)
        {
            try
            {
                await _slotGate.WaitAsync(task.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (task.WasGivenBack)
            {
                return false;
            }

            if (task.TryStart())
            {
                return true;
            }

            // A give-back is being decided: let the slot go to the next task, and wait for the decision.
            _slotGate.Release();
            await task.Decided.ConfigureAwait(false);
            if (task.WasGivenBack)
            {
                return false;
            }
        }
    }

    private async ValueTask<TaskOutcome> ExecuteAsync(QueuedTask row, CancellationToken token)
    {
        var definition = await DefinitionAsync(row.DefinitionHash, token).ConfigureAwait(false);
        if (definition is null)
        {
            return TaskOutcome.Failed($"the workflow definition of run '{row.RunId}' (hash {row.DefinitionHash}) is not in the store");
        }

        // A map task's instance (convert[17]) runs its map task's definition.
        if (!definition.Tasks.TryGetValue(Mapping.MapInstanceIds.DefinitionId(row.TaskId), out var task))
        {
            return TaskOutcome.Failed($"workflow '{definition.Workflow.Name}' has no task '{row.TaskId}'");
        }

        return await _attempts.RunAsync(definition.Workflow.Name, task, row.RunId, row.Attempt, row.Payload, token, row.TaskId).ConfigureAwait(false);
    }

    /// <summary>The definition under <paramref name="hash"/>, fetched once (retrying while the store is
    /// unavailable; a task stops waiting when it is cancelled); null when the store does not know it.
    /// Tasks that need it at the same time share one fetch: a claim of hundreds of tasks of a new
    /// workflow would otherwise send hundreds of identical reads, each holding a pooled connection.</summary>
    private async ValueTask<CompiledDefinition?> DefinitionAsync(string hash, CancellationToken token)
    {
        if (_definitions.TryGetValue(hash, out var known))
        {
            return known;
        }

        var fetch = _fetching.GetOrAdd(hash, FetchDefinitionAsync);
        var definition = await fetch.WaitAsync(token).ConfigureAwait(false);
        if (definition is null)
        {
            // Not in the store (yet): the next task asks again rather than inherit this answer.
            _fetching.TryRemove(new KeyValuePair<string, Task<CompiledDefinition?>>(hash, fetch));
        }

        return definition;
    }

    private async Task<CompiledDefinition?> FetchDefinitionAsync(string hash)
    {
        // Not tied to one task: it retries until it has an answer, or until the worker has stopped.
        await Task.Yield();
        var stopped = _stopHeartbeat.Token;
        var retry = new StoreRetry($"worker '{Name}' definition {hash}", _time, _log);
        while (true)
        {
            WorkflowDefinition? definition;
            try
            {
                definition = await _store.GetDefinitionAsync(hash, stopped).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stopped.IsCancellationRequested)
            {
                await retry.FailedAsync(ex, stopped).ConfigureAwait(false);
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
