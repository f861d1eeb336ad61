using System.Globalization;
using Weft.Definitions;

namespace Weft.Waiting;

/// <summary>What a waiting task waits for, in the words every view shows ("waits for signal 'approval',
/// at most until 2026-12-06 10:00:00Z"): from the live wait, or from a stored run's definition and the
/// attempt's start when a store is read by another process.</summary>
internal static class WaitReasons
{
    public static string Of(WaitSpec spec, DateTimeOffset? timeoutAt)
    {
        var reason = $"waits for {spec.Describe()}";
        return timeoutAt is { } t ? $"{reason}, at most until {Time(t)}" : reason;
    }

    /// <summary>The reason for a recorded task of run <paramref name="runId"/>: null unless it is a waiting
    /// <c>wait:</c> task or a <c>workflow:</c> task holding its child run.</summary>
    public static string? Of(TaskDefinition definition, TaskSnapshot task, string runId) =>
        task.State != TaskState.Waiting ? null
        : definition.Spec is WaitSpec spec
            ? Of(spec, spec.Timeout is { } timeout && task.AttemptHistory.Count > 0 ? task.AttemptHistory[^1].StartedAt + timeout : null)
        : definition.Spec is ChildWorkflowSpec child && task.Attempts > 0
            ? $"child run {ChildWorkflows.ChildRunIds.For(runId, task.TaskId, task.Attempts)} ({child.Workflow})"
            : null;

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
