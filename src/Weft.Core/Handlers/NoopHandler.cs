using Weft.Execution;

namespace Weft.Handlers;

/// <summary>Does nothing, synchronously: the measure of the engine's own cost per task.</summary>
internal sealed class NoopHandler : ITaskHandler
{
    public string Kind => "noop";

    public ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation) => new(TaskOutcome.Success);
}
