using Weft.Coordination;
using Weft.Definitions;
using Weft.Planning;
using Weft.Scheduling;
using Weft.Storage;

namespace Weft;

public sealed partial class WeftEngine
{
    /// <summary>Continues a run. A paused run of this engine goes on. A run recorded in the store but
    /// not finished (its process died) is recovered: tasks recorded as succeeded are not run again,
    /// an attempt that was running gets a new attempt and its history says it was interrupted,
    /// retries keep their due time. A run already finished is returned as it is. Throws
    /// <see cref="KeyNotFoundException"/> when neither the engine nor the store knows the run, and
    /// <see cref="WeftRunOwnedException"/> when another live process runs it.</summary>
    public ValueTask<RunHandle> ResumeAsync(string runId, CancellationToken cancellationToken = default) =>
        ResumeOrCancelAsync(runId, cancel: false, cancellationToken);

    /// <summary>Cancels a run that only the store holds (its process died): it is restored and
    /// cancelled in one step, so none of its tasks starts again. Throws <see cref="KeyNotFoundException"/>
    /// when the store does not know it; a finished run is returned as it is.</summary>
    public ValueTask<RunHandle> CancelStoredAsync(string runId, CancellationToken cancellationToken = default) =>
        ResumeOrCancelAsync(runId, cancel: true, cancellationToken);

    private async ValueTask<RunHandle> ResumeOrCancelAsync(string runId, bool cancel, CancellationToken cancellationToken)
    {
        ThrowIfStopping();
        RunExecution? active;
        FollowUp unpaused = default;
        lock (_coord.Gate)
        {
            if (_coord.Runs.TryGetValue(runId, out active))
            {
                if (cancel)
                {
                    _coord.Scheduler.Cancel(active);
                }
                else
                {
                    _coord.Scheduler.Unpause(active);
                }

                unpaused = _coord.TakeFollowUp();
            }
        }

        if (active is not null)
        {
            _coord.Apply(unpaused);
            return new RunHandle(this, runId, active.Completion.Task);
        }

        StoredRun? stored;
        try
        {
            stored = await _store.LoadRunAsync(runId, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkflowValidationException ex)
        {
            // Its stored definition is read back through the loader, which applies today's rules.
            throw await RefuseUnusableAsync(runId, null, $"its workflow is not valid: {ex.Message}", ex).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUnreadableRecord(ex))
        {
            throw await RefuseUnusableAsync(runId, null, $"its record cannot be read ({ex.GetType().Name}: {ex.Message})", ex).ConfigureAwait(false);
        }

        if (stored is null)
        {
            throw new KeyNotFoundException($"no run with id '{runId}' in the store");
        }

        if (stored.Snapshot.State.IsFinal())
        {
            var masked = await _store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) ?? stored.Snapshot;
            return new RunHandle(this, runId, Task.FromResult(masked));
        }

        // Live in another process (its owner renews its lease): restoring it here would run its
        // tasks twice, and cancelling it here would record an end that process does not know of.
        await TakeUpAsync(runId, cancellationToken).ConfigureAwait(false);

        var definition = stored.Record.Definition;
        ExecutionPlan plan;
        try
        {
            plan = _planner.PlanFor(definition);
        }
        catch (WorkflowValidationException) when (WorkflowValidator.Validate(definition, definition.Tasks.Select(t => t.Kind).ToHashSet(StringComparer.Ordinal)) is { Count: > 0 } own)
        {
            // Invalid whatever handlers this process has (e.g. a duration over today's maximum, written by
            // an older version): it can never run. An unknown kind alone is this process's lack; that throws.
            throw await RefuseUnusableAsync(runId, stored, $"its workflow is not valid: {string.Join("; ", own)}", null).ConfigureAwait(false);
        }

        var now = _time.GetUtcNow();
        if (!cancel && stored.Snapshot.State == RunState.Pending && SubmitOptions.CheckNotBefore(stored.Record.NotBefore, now) is { } tooFar)
        {
            throw await RefuseUnusableAsync(runId, stored, tooFar, null).ConfigureAwait(false);
        }

        var run = new RunExecution(runId, plan, stored.Record.Params, stored.Record.Priority, stored.Record.SubmittedAt)
        {
            TriggeredBy = stored.Record.TriggeredBy,
            ParentRunId = stored.Record.ParentRunId,
            ParentTaskId = stored.Record.ParentTaskId,
        };
        run.ResolveDeadlines(stored.Record.Deadline);
        if (!cancel && stored.Snapshot.State == RunState.Pending && stored.Record.NotBefore is { } notBefore && notBefore > now)
        {
            return AdmitScheduled(run, notBefore);
        }

        var retryDue = run.Restore(stored);
        var adopt = await _dispatcher.AdoptionForAsync(run, cancellationToken).ConfigureAwait(false);
        FollowUp follow;
        lock (_coord.Gate)
        {
            if (!_coord.AdmitRecovered(run, out var raced))
            {
                return new RunHandle(this, runId, raced.Completion.Task);
            }

            _coord.Scheduler.Resume(run, retryDue, adopt);
            if (cancel)
            {
                // Same locked step as the restore: no slot can claim one of its tasks in between.
                _coord.Scheduler.Cancel(run);
            }

            follow = _coord.TakeFollowUp();
        }

        _coord.Apply(follow);
        return new RunHandle(this, runId, run.Completion.Task);
    }

    /// <summary>Runs the store holds as unfinished: candidates for <see cref="ResumeAsync"/> after a crash.
    /// (A run still going in another process that shares the store is listed too.)</summary>
    public async ValueTask<IReadOnlyList<string>> FindUnfinishedRunsAsync(CancellationToken cancellationToken = default)
    {
        var ids = await _store.ListUnfinishedRunsAsync(cancellationToken).ConfigureAwait(false);
        lock (_coord.Gate)
        {
            return [.. ids.Where(id => !_coord.Runs.ContainsKey(id))];
        }
    }

    // Data the store gave back but this version cannot make sense of (an out-of-range time, bad JSON):
    // the record is at fault, not the store's reachability, so trying again would fail the same way.
    private static bool IsUnreadableRecord(Exception ex) =>
        ex is ArgumentException or FormatException or OverflowException or InvalidCastException or System.Text.Json.JsonException;

    /// <summary>Records a stored run that can never be taken up as failed, with <paramref name="reason"/>
    /// on each of its unfinished tasks (when its record could be read), so no later start trips on it;
    /// returns the exception that says so.</summary>
    private async Task<WeftStoredRunException> RefuseUnusableAsync(string runId, StoredRun? stored, string reason, Exception? inner)
    {
        var now = _time.GetUtcNow();
        var changes = new List<StoreChange>();
        foreach (var task in stored?.Snapshot.Tasks ?? [])
        {
            if (!task.State.IsFinal())
            {
                changes.Add(new StoreChange
                {
                    Kind = StoreChangeKind.Task,
                    RunId = runId,
                    TaskId = task.TaskId,
                    TaskState = TaskState.Failed,
                    Attempt = task.Attempts,
                    StartedAt = task.StartedAt,
                    FinishedAt = now,
                    Error = $"not run: {reason}",
                });
            }
        }

        changes.Add(new StoreChange
        {
            Kind = StoreChangeKind.Run,
            RunId = runId,
            RunState = RunState.Failed,
            StartedAt = stored?.Snapshot.StartedAt ?? now,
            FinishedAt = now,
        });

        // Not the caller's token: a refusal half-written would trip the next start again.
        await _store.WriteAsync(changes, CancellationToken.None).ConfigureAwait(false);
        return new WeftStoredRunException(runId, reason, inner);
    }

    // A run recorded with a start time still ahead (submitted with NotBefore; its process restarted,
    // or another scheduler took it up): it waits for that time here too, as its submit did.
    private RunHandle AdmitScheduled(RunExecution run, DateTimeOffset notBefore)
    {
        lock (_coord.Gate)
        {
            if (!_coord.AdmitRecovered(run, out var raced))
            {
                return new RunHandle(this, run.RunId, raced.Completion.Task);
            }

            StartAt(run, notBefore);
        }

        return new RunHandle(this, run.RunId, run.Completion.Task);
    }
}
