using Microsoft.Extensions.Logging;
using Weft.Logging;
using Weft.Telemetry;

namespace Weft.Execution;

/// <summary>Runs one attempt of one task the same way wherever it runs — on a slot of an embedded
/// engine or on a cluster worker: the task's hooks, its timeout joined with the caller's cancellation
/// (<see cref="AttemptGuard"/>), the handler, and every exception turned into an outcome. It never
/// throws. Callers build the <see cref="TaskInvocation"/> (its token is the run's or the claim's) and
/// pick the handler; where the values and the handler come from is theirs, how an attempt runs is this.
///
/// <para>An attempt without hooks and without a timeout whose handler completes synchronously (a no-op)
/// takes a path with no state machine and no allocation: that is the in-memory hot path.</para></summary>
internal sealed class AttemptExecutor
{
    private readonly ITaskHook[] _hooks;
    private readonly TimeProvider _time;
    private readonly ILogger? _logger;

    public AttemptExecutor(IEnumerable<ITaskHook> hooks, TimeProvider time, ILogger? logger = null)
    {
        _hooks = [.. hooks];
        _time = time;
        _logger = logger;
    }

    /// <summary>Runs <paramref name="handler"/> for <paramref name="invocation"/>, whose token is the caller's
    /// cancellation; the task's <paramref name="timeout"/>, when it has one, is joined to it here. With a
    /// logger, the attempt runs inside its <see cref="AttemptScope"/> and its end is logged at Debug; with a
    /// listener on <c>ActivitySource("Weft")</c>, inside its <c>weft.task</c> span. Without either, the
    /// check is all it costs.</summary>
    public ValueTask<TaskOutcome> RunAsync(ITaskHandler handler, TaskInvocation invocation, TimeSpan? timeout) =>
        _logger is null && !WeftTracing.Source.HasListeners()
            ? RunUnobserved(handler, invocation, timeout)
            : RunObservedAsync(handler, invocation, timeout);

    private async ValueTask<TaskOutcome> RunObservedAsync(ITaskHandler handler, TaskInvocation invocation, TimeSpan? timeout)
    {
        // The handler starts inside the span and the scope, so its continuations (and a function's own
        // logging and outgoing calls) carry them.
        var span = WeftTracing.StartAttempt(invocation, handler.Kind);
        var scope = _logger?.BeginScope(new AttemptScope(invocation));
        try
        {
            var outcome = await RunUnobserved(handler, invocation, timeout).ConfigureAwait(false);
            if (span is not null)
            {
                WeftTracing.EndAttempt(span, outcome);
            }

            if (_logger is not null)
            {
                EngineLog.AttemptEnded(_logger, invocation.RunId, invocation.TaskId, invocation.Attempt, handler.Kind, outcome.Status);
            }

            return outcome;
        }
        finally
        {
            scope?.Dispose();
            span?.Dispose();
        }
    }

    private ValueTask<TaskOutcome> RunUnobserved(ITaskHandler handler, TaskInvocation invocation, TimeSpan? timeout)
    {
        var cancel = invocation.CancellationToken;
        var token = AttemptGuard.Arm(timeout, cancel, _time, out var timer, out var linked);
        if (_hooks.Length > 0)
        {
            return RunWithHooksAsync(handler, invocation with { CancellationToken = token }, cancel, timer, linked, timeout);
        }

        if (timer is not null)
        {
            invocation = invocation with { CancellationToken = token };
        }

        var pending = Start(handler, invocation);
        if (timer is null && pending.IsCompletedSuccessfully)
        {
            return pending;
        }

        return AttemptGuard.AwaitAsync(pending, invocation, cancel, timer, linked, timeout, _time);
    }

    private async ValueTask<TaskOutcome> RunWithHooksAsync(
        ITaskHandler handler, TaskInvocation invocation, CancellationToken cancel, CancellationTokenSource? timer, CancellationTokenSource? linked, TimeSpan? timeout)
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
            timer?.Dispose();
            linked?.Dispose();
            return TaskOutcome.Failed($"before-hook failed: {ex.Message}");
        }

        var outcome = await AttemptGuard.AwaitAsync(Start(handler, invocation), invocation, cancel, timer, linked, timeout, _time).ConfigureAwait(false);
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

    // A handler that throws before returning its ValueTask is a failed attempt like one that faults later.
    private static ValueTask<TaskOutcome> Start(ITaskHandler handler, in TaskInvocation invocation)
    {
        try
        {
            return handler.ExecuteAsync(invocation);
        }
        catch (Exception ex)
        {
            return new ValueTask<TaskOutcome>(AttemptGuard.OutcomeOf(ex, invocation.CancellationToken));
        }
    }
}
