using Weft.Execution;

namespace Weft;

/// <summary>Runs around every task attempt, on the worker slot, in registration order. A hook that
/// throws fails the attempt (before) or is logged into the attempt's error (after).</summary>
public interface ITaskHook
{
    ValueTask BeforeAsync(TaskInvocation invocation) => ValueTask.CompletedTask;

    ValueTask AfterAsync(TaskInvocation invocation, TaskOutcome outcome) => ValueTask.CompletedTask;
}
