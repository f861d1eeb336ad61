using Weft.Execution;

namespace Weft.Handlers;

internal sealed class ShellHandler : ITaskHandler
{
    public string Kind => throw new NotImplementedException();

    public ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation) => throw new NotImplementedException();
}
