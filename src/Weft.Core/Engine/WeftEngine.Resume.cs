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
        lock (_gate)
        {
            if (_runs.TryGetValue(runId, out active))
            {
                if (cancel)
                {
                    _scheduler.Cancel(active);
                }
                else
                {
                    _scheduler.Unpause(active);
                }

                unpaused = TakeFollowUp();
            }
        }

        if (active is not null)
        {
            Apply(unpaused);
            return new RunHandle(this, runId, active.Completion.Task);
        }

        var stored = await _store.LoadRunAsync(runId, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"no run with id '{runId}' in the store");
        if (stored.Snapshot.State.IsFinal())
        {
            var masked = await _store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) ?? stored.Snapshot;
            return new RunHandle(this, runId, Task.FromResult(masked));
        }

        // Live in another process (its owner renews its lease): restoring it here would run its
        // tasks twice, and cancelling it here would record an end that process does not know of.
        await TakeUpAsync(runId, cancellationToken).ConfigureAwait(false);

        var plan = PlanFor(stored.Record.Definition);
        var run = new RunExecution(runId, plan, stored.Record.Params, stored.Record.Priority, stored.Record.SubmittedAt);
        run.ResolveDeadlines(stored.Record.Deadline);
        if (!cancel && stored.Snapshot.State == RunState.Pending && stored.Record.NotBefore is { } notBefore && notBefore > _time.GetUtcNow())
        {
            return AdmitScheduled(run, notBefore);
        }

        var retryDue = run.Restore(stored);
        var adopt = await AdoptionFor(run, cancellationToken).ConfigureAwait(false);
        FollowUp follow;
        lock (_gate)
        {
            if (_runs.TryGetValue(runId, out var raced))
            {
                return new RunHandle(this, runId, raced.Completion.Task);
            }

            _runs[runId] = run;
            _scheduler.Counters.Outstanding += plan.Count; // recovery is never refused for a full queue
            _scheduler.Resume(run, retryDue, adopt);
            if (cancel)
            {
                // Same locked step as the restore: no slot can claim one of its tasks in between.
                _scheduler.Cancel(run);
            }

            follow = TakeFollowUp();
        }

        Apply(follow);
        return new RunHandle(this, runId, run.Completion.Task);
    }

    /// <summary>Runs the store holds as unfinished: candidates for <see cref="ResumeAsync"/> after a crash.
    /// (A run still going in another process that shares the store is listed too.)</summary>
    public async ValueTask<IReadOnlyList<string>> FindUnfinishedRunsAsync(CancellationToken cancellationToken = default)
    {
        var ids = await _store.ListUnfinishedRunsAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            return [.. ids.Where(id => !_runs.ContainsKey(id))];
        }
    }

    // A run recorded with a start time still ahead (submitted with NotBefore; its process restarted,
    // or another scheduler took it up): it waits for that time here too, as its submit did.
    private RunHandle AdmitScheduled(RunExecution run, DateTimeOffset notBefore)
    {
        lock (_gate)
        {
            if (_runs.TryGetValue(run.RunId, out var raced))
            {
                return new RunHandle(this, run.RunId, raced.Completion.Task);
            }

            _runs[run.RunId] = run;
            _scheduler.Counters.Outstanding += run.Plan.Count;
            StartAt(run, notBefore);
        }

        return new RunHandle(this, run.RunId, run.Completion.Task);
    }
}
