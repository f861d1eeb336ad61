using Weft.Coordination;
using Weft.Definitions;
using Weft.Planning;
using Weft.Scheduling;
using Weft.Storage;

namespace Weft;

public sealed partial class WeftEngine
{
    /// <summary>Validates and submits a run. Returns once the run is recorded. Throws
    /// <see cref="WorkflowValidationException"/> for an invalid definition and
    /// <see cref="WeftConfigurationException"/> for bad parameters or unknown functions; nothing is recorded then.</summary>
    public async ValueTask<RunHandle> SubmitAsync(
        WorkflowDefinition definition,
        IReadOnlyDictionary<string, string>? parameters = null,
        SubmitOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ThrowIfStopping();
        SubmitOptions.ThrowIfInvalid(options, _time.GetUtcNow());
        var plan = _planner.PlanFor(definition);
        var values = ResolveParameters(definition, parameters);
        if (plan.HasChildren)
        {
            await _children.CheckRegisteredAsync(definition, cancellationToken).ConfigureAwait(false);
        }

        var runId = options?.RunId ?? NewRunId();
        var run = new RunExecution(runId, plan, values, options?.Priority, _time.GetUtcNow());
        run.ResolveDeadlines(options?.Deadline);
        run.TriggeredBy = options?.TriggeredBy;
        run.ParentRunId = options?.ParentRunId;
        run.ParentTaskId = options?.ParentTaskId;
        run.ParentTrace = options?.ParentTrace ?? default;
        var dedupKey = options?.DedupKey;
        while (_coord.Admit(run, dedupKey, options?.WaitIfQueueFull ?? false, () => _monitor.IntakePaused(options?.WaitIfMemoryCritical ?? true)) is var admission
            && (admission.Existing is not null || admission.Wait is not null))
        {
            if (admission.Existing is { } existing)
            {
                return HandleOf(existing);
            }

            await admission.Wait!.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            try
            {
                await _store.CreateRunAsync(new RunRecord(runId, definition, run.Params, run.SubmittedAt)
                {
                    Priority = options?.Priority,
                    NotBefore = options?.NotBefore,
                    Deadline = options?.Deadline,
                    Owner = NewLease(),
                    TriggeredBy = options?.TriggeredBy,
                    ParentRunId = options?.ParentRunId,
                    ParentTaskId = options?.ParentTaskId,
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException ex) when (ex.Message.Contains("already exists", StringComparison.Ordinal))
            {
                // The stores refuse a second run with the same id (their contract): another process won.
                throw new WeftDuplicateRunException(runId, ex);
            }
        }
        catch
        {
            _coord.Withdraw(run, dedupKey);
            throw;
        }

        if (options?.NotBefore is { } notBefore && notBefore > _time.GetUtcNow())
        {
            // Pending until due; a timer on the engine's clock starts it (tests advance a fake clock).
            StartAt(run, notBefore);
            return new RunHandle(this, runId, run.Completion.Task);
        }

        StartNow(run);
        return new RunHandle(this, runId, run.Completion.Task);
    }

    private RunHandle HandleOf(string runId)
    {
        lock (_coord.Gate)
        {
            return _coord.Runs.TryGetValue(runId, out var run)
                ? new RunHandle(this, runId, run.Completion.Task)
                : new RunHandle(this, runId, Task.FromException<RunSnapshot>(new KeyNotFoundException($"run '{runId}' is no longer known")));
        }
    }

    private void StartNow(RunExecution run)
    {
        FollowUp follow;
        lock (_coord.Gate)
        {
            run.StartTimer?.Dispose();
            run.StartTimer = null;
            if (run.State != RunState.Pending || _coord.Stopping)
            {
                return;
            }

            _coord.Scheduler.Start(run);
            follow = _coord.TakeFollowUp();
        }

        _coord.Apply(follow);
    }

    /// <summary>Starts a pending run when the engine's clock reaches <paramref name="notBefore"/>.</summary>
    private void StartAt(RunExecution run, DateTimeOffset notBefore) =>
        run.StartTimer = LongTimers.Once(_time, static s => ((StartLater)s!).Fire(), new StartLater(this, run), notBefore - _time.GetUtcNow());

    private sealed class StartLater(WeftEngine engine, RunExecution run)
    {
        public void Fire() => engine.StartNow(run);
    }

    internal static IReadOnlyDictionary<string, string> ResolveParameters(WorkflowDefinition definition, IReadOnlyDictionary<string, string>? supplied) =>
        ParameterValues.Resolve(definition, supplied);

    internal static string NewRunId() => Guid.CreateVersion7().ToString("N");
}
