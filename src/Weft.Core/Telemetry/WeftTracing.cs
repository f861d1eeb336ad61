using System.Diagnostics;
using Weft.Execution;
using Weft.Scheduling;

namespace Weft.Telemetry;

/// <summary>Spans on <c>ActivitySource("Weft")</c>, made by the engine itself so every run is traced
/// whoever submitted it (the API, a schedule, <c>engine.SubmitAsync</c>): a <c>weft.run</c> span per run
/// (its own trace) and a <c>weft.task</c> child span per attempt, tagged <c>weft.run_id</c>,
/// <c>weft.workflow</c>, <c>weft.task_id</c>, <c>weft.kind</c>, <c>weft.attempt</c> and <c>weft.outcome</c>.
/// Nothing is made, and nothing allocated, unless a listener samples the source
/// (<see cref="ActivitySource.HasListeners"/> is checked first on the attempt path). Error texts are not
/// put on spans: they may hold a run's secret values, and the store has them.</summary>
internal static class WeftTracing
{
    public const string Name = "Weft";

    public static readonly ActivitySource Source = new(Name);

    // Guards each run's lazily started span; only taken while someone listens.
    private static readonly Lock RunSpanGate = new();

    /// <summary>The run's span as a parent for an attempt's, started at the run's first traced attempt
    /// (with the run's submission time as its start) and stopped when the run finishes. Default when
    /// no listener samples it.</summary>
    public static ActivityContext RunContext(RunExecution run)
    {
        lock (RunSpanGate)
        {
            if (run.TraceSpan is { } existing)
            {
                return existing.Context;
            }

            if (StartRun(run) is not { } span)
            {
                return default;
            }

            run.TraceSpan = span;
            _ = run.Completion.Task.ContinueWith(
                static (finished, state) => EndRun((Activity)state!, finished),
                span,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return span.Context;
        }
    }

    /// <summary>Starts an attempt's span (current while the handler runs, so its outgoing calls carry the
    /// trace); null when no listener samples it.</summary>
    public static Activity? StartAttempt(in TaskInvocation invocation, string kind)
    {
        var parent = invocation.Values is RunExecution run ? RunContext(run) : default;
        var span = Source.StartActivity("weft.task", ActivityKind.Internal, parent);
        span?.SetTag("weft.run_id", invocation.RunId)
            .SetTag("weft.workflow", invocation.WorkflowName)
            .SetTag("weft.task_id", invocation.TaskId)
            .SetTag("weft.kind", kind)
            .SetTag("weft.attempt", invocation.Attempt);
        return span;
    }

    public static void EndAttempt(Activity span, TaskOutcome outcome)
    {
        span.SetTag("weft.outcome", OutcomeName(outcome.Status));
        span.SetStatus(outcome.Status == TaskOutcomeStatus.Succeeded ? ActivityStatusCode.Ok : ActivityStatusCode.Error);
        span.Stop();
    }

    private static Activity? StartRun(RunExecution run)
    {
        // Each run is its own trace, not a child of whatever slot or request happens to be current.
        var current = Activity.Current;
        Activity.Current = null;
        try
        {
            // A child workflow's run links to its parent's run span (its own trace still: it may outlive the parent's).
            ActivityLink[]? links = run.ParentTrace == default ? null : [new ActivityLink(run.ParentTrace)];
            var span = Source.StartActivity("weft.run", ActivityKind.Internal, parentContext: default, links: links, startTime: run.SubmittedAt);
            span?.SetTag("weft.run_id", run.RunId).SetTag("weft.workflow", run.WorkflowName);
            if (run.ParentRunId is { } parent)
            {
                span?.SetTag("weft.parent_run_id", parent).SetTag("weft.parent_task_id", run.ParentTaskId);
            }

            return span;
        }
        finally
        {
            Activity.Current = current;
        }
    }

    private static void EndRun(Activity span, Task<RunSnapshot> finished)
    {
        var state = finished.IsCompletedSuccessfully ? finished.Result.State : (RunState?)null;
        span.SetTag("weft.state", state?.ToName());
        span.SetStatus(state == RunState.Succeeded ? ActivityStatusCode.Ok : ActivityStatusCode.Error);
        span.Stop();
    }

    private static string OutcomeName(TaskOutcomeStatus status) => status switch
    {
        TaskOutcomeStatus.Succeeded => "succeeded",
        TaskOutcomeStatus.Failed => "failed",
        TaskOutcomeStatus.TimedOut => "timed_out",
        TaskOutcomeStatus.Cancelled => "cancelled",
        TaskOutcomeStatus.Interrupted => "interrupted",
        _ => "unknown",
    };
}
