using Weft.Execution;

namespace Weft.Handlers;

internal sealed class FunctionHandler(FunctionRegistry registry) : ITaskHandler
{
    public string Kind => registry is null ? "function" : "function";

    public ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation) => throw new NotImplementedException();
}
