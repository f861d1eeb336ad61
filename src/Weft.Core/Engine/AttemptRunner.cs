using Weft.Execution;
using Weft.Scheduling;

namespace Weft;

public sealed partial class WeftEngine
{
    /// <summary>How long a handler may take to stop after its token fired before the slot gives up
    /// on it and reports the attempt (a handler that ignores cancellation must not hold a slot forever).</summary>
    private static readonly TimeSpan AbandonAfter = TimeSpan.FromSeconds(5);

    /// <summary>Runs one attempt: hooks, the handler, its timeout and the run's cancellation, turning
    /// every exception into an outcome. Synchronous handlers without a timeout take the fast path,
    /// which allocates nothing. (<see cref="ExecuteAttempt"/> puts the result cache in front.)</summary>
    private ValueTask<TaskOutcome> RunAttempt(WorkItem item, int attempt)
    {
        var run = item.Run;
        var task = run.Plan.Tasks[item.Task];
        var runToken = run.Cancellation.Token;
        CancellationTokenSource? timeout = null;
        CancellationTokenSource? linked = null;
        var token = runToken;
        if (task.Timeout is { } limit)
        {
            timeout = new CancellationTokenSource(limit, _time);
            linked = CancellationTokenSource.CreateLinkedTokenSource(runToken, timeout.Token);
            token = linked.Token;
        }

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

    private async ValueTask<TaskOutcome> AwaitAttemptAsync(
        ValueTask<TaskOutcome> pending, TaskInvocation invocation, CancellationToken runToken, CancellationTokenSource? timeout, CancellationTokenSource? linked, TimeSpan? limit)
    {
        TaskOutcome outcome;
        try
        {
            if (pending.IsCompleted || !invocation.CancellationToken.CanBeCanceled)
            {
                outcome = await pending.ConfigureAwait(false);
            }
            else
            {
                var running = pending.AsTask();
                try
                {
                    outcome = await running.WaitAsync(invocation.CancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (invocation.CancellationToken.IsCancellationRequested && !running.IsCompleted)
                {
                    // Give the handler a moment to clean up (kill its process tree), then let it go.
                    outcome = await running.WaitAsync(AbandonAfter, _time).ConfigureAwait(false);
                }
            }
        }
        catch (TimeoutException)
        {
            outcome = TaskOutcome.Cancelled($"the handler did not stop within {AbandonAfter.TotalSeconds:0}s of being cancelled; abandoned");
        }
        catch (Exception ex)
        {
            outcome = OutcomeOf(ex, invocation.CancellationToken);
        }
        finally
        {
            linked?.Dispose();
        }

        var timedOut = timeout is { IsCancellationRequested: true } && !runToken.IsCancellationRequested;
        timeout?.Dispose();
        if (timedOut && !outcome.IsSuccess)
        {
            return outcome with { Status = TaskOutcomeStatus.TimedOut, Error = $"timed out after {Definitions.Durations.Format(limit!.Value)}" };
        }

        return outcome;
    }

    private static TaskOutcome OutcomeOf(Exception ex, CancellationToken token) => ex switch
    {
        OperationCanceledException when token.IsCancellationRequested => TaskOutcome.Cancelled(),
        TemplateResolutionException t => TaskOutcome.Failed(t.Message),
        _ => TaskOutcome.Failed($"{ex.GetType().Name}: {ex.Message}"),
    };
}
