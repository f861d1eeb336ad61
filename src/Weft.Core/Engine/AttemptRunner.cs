using Weft.Execution;
using Weft.Scheduling;

namespace Weft;

public sealed partial class WeftEngine
{
    /// <summary>Runs one attempt: hooks, the handler, its timeout and the run's cancellation, turning
    /// every exception into an outcome. Synchronous handlers without a timeout take the fast path,
    /// which allocates nothing. (<see cref="ExecuteAttempt"/> puts the result cache in front.)</summary>
    private ValueTask<TaskOutcome> RunAttempt(WorkItem item, int attempt)
    {
        var run = item.Run;
        var task = run.Plan.Tasks[item.Task];
        var runToken = run.Cancellation.Token;
        var token = AttemptGuard.Arm(task.Timeout, runToken, _time, out var timeout, out var linked);

        var invocation = new TaskInvocation
        {
            RunId = run.RunId,
            WorkflowName = run.WorkflowName,
            TaskId = task.Id,
            Attempt = attempt,
            Spec = task.Spec,
            CancellationToken = token,
            TimeProvider = _time,
            OutputLimit = _options.OutputLimitBytes,
            Values = run,
        };

        if (_hooks.Length == 0 && timeout is null)
        {
            try
            {
                var pending = run.Plan.Handlers[item.Task].ExecuteAsync(invocation);
                if (pending.IsCompletedSuccessfully)
                {
                    return new ValueTask<TaskOutcome>(pending.Result);
                }

                return AwaitAttemptAsync(pending, invocation, runToken, null, null, task.Timeout);
            }
            catch (Exception ex)
            {
                return new ValueTask<TaskOutcome>(OutcomeOf(ex, invocation.CancellationToken));
            }
        }

        return RunWithHooksAsync(item, invocation, runToken, timeout, linked, task.Timeout);
    }

    private async ValueTask<TaskOutcome> RunWithHooksAsync(
        WorkItem item, TaskInvocation invocation, CancellationToken runToken, CancellationTokenSource? timeout, CancellationTokenSource? linked, TimeSpan? limit)
    {
        try
        {
            foreach (var hook in _hooks)
            {
                await hook.BeforeAsync(invocation).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            timeout?.Dispose();
            linked?.Dispose();
            return TaskOutcome.Failed($"before-hook failed: {ex.Message}");
        }

        ValueTask<TaskOutcome> pending;
        try
        {
            pending = item.Run.Plan.Handlers[item.Task].ExecuteAsync(invocation);
        }
        catch (Exception ex)
        {
            pending = new ValueTask<TaskOutcome>(OutcomeOf(ex, invocation.CancellationToken));
        }

        var outcome = await AwaitAttemptAsync(pending, invocation, runToken, timeout, linked, limit).ConfigureAwait(false);
        foreach (var hook in _hooks)
        {
            try
            {
                await hook.AfterAsync(invocation, outcome).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                outcome = outcome with { Error = (outcome.Error is null ? "" : outcome.Error + "; ") + $"after-hook failed: {ex.Message}" };
            }
        }

        return outcome;
    }

    private ValueTask<TaskOutcome> AwaitAttemptAsync(
        ValueTask<TaskOutcome> pending, TaskInvocation invocation, CancellationToken runToken, CancellationTokenSource? timeout, CancellationTokenSource? linked, TimeSpan? limit) =>
        AttemptGuard.AwaitAsync(pending, invocation, runToken, timeout, linked, limit, _time);

    private static TaskOutcome OutcomeOf(Exception ex, CancellationToken token) => AttemptGuard.OutcomeOf(ex, token);
}
