using Weft.Execution;

namespace Weft.ChildWorkflows;

/// <summary>Makes <c>workflow</c> a kind every engine and worker knows. A workflow task never reaches a
/// slot or a worker: the scheduler holds it while its child run runs (<see cref="Scheduling.Scheduler"/>,
/// Children). If one ever did, it fails with the reason instead of running something.</summary>
internal sealed class ChildWorkflowHandler : ITaskHandler
{
    public string Kind => "workflow";

    public ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation) =>
        new(TaskOutcome.Failed($"task '{invocation.TaskId}' runs a child workflow, which the scheduler keeps; it cannot run on a slot or a worker"));
}
