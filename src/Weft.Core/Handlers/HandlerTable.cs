using Weft.Execution;

namespace Weft.Handlers;

/// <summary>The handlers a process runs tasks with, by kind: the built-in kinds, then the user's
/// (a user handler for a built-in kind replaces it). Embedded engines and cluster workers build theirs
/// here, so both run the same kinds the same way.</summary>
internal static class HandlerTable
{
    public static Dictionary<string, ITaskHandler> Create(FunctionRegistry functions, IEnumerable<ITaskHandler> userHandlers, HttpOptions http, Configuration.ContainerSettings containers)
    {
        ITaskHandler[] builtIns =
        [
            new ShellHandler(), new HttpHandler(http), new FunctionHandler(functions), new SleepHandler(), new NoopHandler(),
            new Containers.ContainerHandler(containers), new Waiting.WaitHandler(), new ChildWorkflows.ChildWorkflowHandler(),
        ];
        var table = new Dictionary<string, ITaskHandler>(StringComparer.Ordinal);
        foreach (var handler in builtIns.Concat(userHandlers))
        {
            table[handler.Kind] = handler;
        }

        return table;
    }
}
