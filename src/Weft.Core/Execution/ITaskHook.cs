using Weft.Execution;

namespace Weft;

/// <summary>Runs around every task attempt, on the worker slot, in registration order. A hook that
/// throws fails the attempt (before) or is logged into the attempt's error (after).</summary>
public interface ITaskHook
{
    /// <summary>Called before the handler; throwing fails the attempt without running it. Does nothing by default.</summary>
    ValueTask BeforeAsync(TaskInvocation invocation) => ValueTask.CompletedTask;

    /// <summary>Called after the handler with its <paramref name="outcome"/>; an exception is added to the attempt's error, the outcome stands. Does nothing by default.</summary>
    ValueTask AfterAsync(TaskInvocation invocation, TaskOutcome outcome) => ValueTask.CompletedTask;
}
