using Weft.Execution;

namespace Weft;

/// <summary>The run-independent part of running one attempt, used by <see cref="Execution.AttemptExecutor"/>: the task's timeout joined with the caller's cancellation, a handler that ignores its token
/// abandoned after <see cref="AbandonAfter"/>, and every exception turned into an outcome.</summary>
internal static class AttemptGuard
{
    /// <summary>How long a handler may take to stop after its token fired before the slot gives up
    /// on it and reports the attempt (a handler that ignores cancellation must not hold a slot forever).</summary>
    public static readonly TimeSpan AbandonAfter = TimeSpan.FromSeconds(5);

    /// <summary>The attempt's token: <paramref name="cancel"/>, joined with a timer for <paramref name="limit"/>
    /// when there is one (both sources then belong to the caller, who passes them to <see cref="AwaitAsync"/>).</summary>
    public static CancellationToken Arm(
        TimeSpan? limit, CancellationToken cancel, TimeProvider time, out CancellationTokenSource? timeout, out CancellationTokenSource? linked)
    {
        timeout = null;
        linked = null;
        if (limit is not { } value)
        {
            return cancel;
        }

        timeout = Scheduling.LongTimers.CancelAfter(value, time);
        linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, timeout.Token);
        return linked.Token;
    }

    /// <summary>Waits for a started handler: cancellation stops the wait (after a grace of
    /// <see cref="AbandonAfter"/>), a fired timeout turns a failure into <see cref="TaskOutcomeStatus.TimedOut"/>.
    /// Disposes <paramref name="timeout"/> and <paramref name="linked"/>.</summary>
    public static async ValueTask<TaskOutcome> AwaitAsync(
        ValueTask<TaskOutcome> pending, TaskInvocation invocation, CancellationToken cancel, CancellationTokenSource? timeout, CancellationTokenSource? linked, TimeSpan? limit, TimeProvider time)
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
                    outcome = await running.WaitAsync(AbandonAfter, time).ConfigureAwait(false);
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

        var timedOut = timeout is { IsCancellationRequested: true } && !cancel.IsCancellationRequested;
        timeout?.Dispose();
        if (timedOut && !outcome.IsSuccess)
        {
            return outcome with { Status = TaskOutcomeStatus.TimedOut, Error = $"timed out after {Definitions.Durations.Format(limit!.Value)}" };
        }

        return outcome;
    }

    public static TaskOutcome OutcomeOf(Exception ex, CancellationToken token) => ex switch
    {
        OperationCanceledException when token.IsCancellationRequested => TaskOutcome.Cancelled(),
        TemplateResolutionException t => TaskOutcome.Failed(t.Message),
        _ => TaskOutcome.Failed($"{ex.GetType().Name}: {ex.Message}"),
    };
}
