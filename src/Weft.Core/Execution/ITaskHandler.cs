namespace Weft.Execution;

/// <summary>Runs tasks of one kind. The one boundary between the engine and the work it runs:
/// an invocation goes in, an outcome comes out. Implementations must honour
/// <see cref="TaskInvocation.CancellationToken"/> (it fires on timeout and on cancellation) and should
/// return failures as outcomes; an exception thrown is caught once, at the worker, and becomes a
/// failed outcome. A handler that completes synchronously (noop) costs no allocation.</summary>
public interface ITaskHandler
{
    /// <summary>The kind key in a workflow file, e.g. <c>shell</c>.</summary>
    string Kind { get; }

    /// <summary>Runs one attempt. Returns the outcome; a failure should be returned as <see cref="TaskOutcome.Failed"/> rather than thrown.</summary>
    ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation);
}
