using Weft.Execution;

namespace Weft.Handlers;

internal sealed class HttpHandler : ITaskHandler
{
    public string Kind => throw new NotImplementedException();

    public ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation) => throw new NotImplementedException();
}
