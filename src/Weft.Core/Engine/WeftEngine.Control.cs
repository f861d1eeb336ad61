using Weft.Coordination;
using Weft.Scheduling;
using Weft.Storage;

namespace Weft;

public sealed partial class WeftEngine
{
    /// <summary>Pauses a running run of this engine: running tasks finish, nothing new starts until
    /// <see cref="ResumeAsync"/>. False when the run is unknown here or not running.</summary>
    public ValueTask<bool> PauseAsync(string runId)
    {
        lock (_coord.Gate)
        {
            return new(_coord.Runs.TryGetValue(runId, out var run) && _coord.Scheduler.Pause(run));
        }
    }

    /// <summary>Starts a new run of the same definition and parameters that reuses the outputs of
    /// the tasks that succeeded in <paramref name="runId"/> (they finish at once as <c>cached</c>)
    /// and runs the rest. The earlier run may be finished or not, in this engine or only in the store.</summary>
    public ValueTask<RunHandle> RetryAsync(string runId, CancellationToken cancellationToken = default) =>
        RetryCoreAsync(runId, null, cancellationToken);

    /// <summary>Starts a new run that runs again the chosen tasks of the finished run
    /// <paramref name="runId"/> and every task downstream of them that did not succeed; all other
    /// tasks keep what they had (those that succeeded finish at once as <c>cached</c> with their
    /// output, the rest keep their final state and error). Each chosen task must have failed, timed
    /// out, failed upstream or been cancelled; otherwise <see cref="WeftTaskRetryException"/> names it
    /// and its state, and nothing is stored.</summary>
    public ValueTask<RunHandle> RetryTasksAsync(string runId, IReadOnlyCollection<string> taskIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskIds);
        return RetryCoreAsync(runId, taskIds, cancellationToken);
    }

    private async ValueTask<RunHandle> RetryCoreAsync(string runId, IReadOnlyCollection<string>? taskIds, CancellationToken cancellationToken)
    {
        ThrowIfStopping();
        StoredRun? source;
        lock (_coord.Gate)
        {
            source = _coord.Runs.TryGetValue(runId, out var active)
                ? new StoredRun(
                    new RunRecord(runId, active.Plan.Definition, active.Params, active.SubmittedAt) { Priority = active.PriorityOverride },
                    active.SnapshotInClear())
                : null;
        }

        source ??= await _store.LoadRunAsync(runId, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"no run with id '{runId}'");

        var definition = source.Record.Definition;
        var plan = _planner.PlanFor(definition);
        var chosen = taskIds is null ? null : TaskRetrySelection.Resolve(runId, source.Snapshot, plan, taskIds);
        var newId = NewRunId();
        var now = _time.GetUtcNow();
        var run = new RunExecution(newId, plan, source.Record.Params, source.Record.Priority, now);
        run.ResolveDeadlines(null);
        foreach (var task in source.Snapshot.Tasks)
        {
            if (task.State is TaskState.Succeeded or TaskState.Cached && plan.IndexOf.TryGetValue(task.TaskId, out var i))
            {
                var output = task.Output ?? await _store.GetOutputAsync(runId, task.TaskId, null, cancellationToken).ConfigureAwait(false);
                ref var slot = ref run.Slots[i];
                slot.State = TaskState.Cached;
                slot.Output = output;
                slot.OutputTruncated = task.OutputTruncated;
                slot.StartedAt = now;
                slot.FinishedAt = now;
            }
            else if (chosen is not null && task.State.IsFinal() && plan.IndexOf.TryGetValue(task.TaskId, out var kept) && !chosen.Reruns(kept))
            {
                TaskRetrySelection.Keep(ref run.Slots[kept], task, runId, now);
            }
        }

        lock (_coord.Gate)
        {
            _coord.ReserveQueue(plan.Count, wait: false);
            _coord.Runs.Add(newId, run);
        }

        run.TriggeredBy = $"retry of {runId}{TaskRetrySelection.Describe(taskIds)}";
        await _store.CreateRunAsync(new RunRecord(newId, definition, run.Params, now)
        {
            Priority = source.Record.Priority,
            Owner = NewLease(),
            TriggeredBy = run.TriggeredBy,
        }, cancellationToken).ConfigureAwait(false);
        FollowUp follow;
        lock (_coord.Gate)
        {
            _coord.Scheduler.StartWithReused(run);
            follow = _coord.TakeFollowUp();
        }

        _coord.Apply(follow);
        return new RunHandle(this, newId, run.Completion.Task);
    }
}
