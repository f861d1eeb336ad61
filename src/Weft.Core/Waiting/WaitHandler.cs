using Weft.Execution;

namespace Weft.Waiting;

/// <summary>Makes <c>wait</c> a kind every engine and worker knows. A wait task never reaches a slot or
/// a worker: the scheduler keeps it (<see cref="Scheduling.Scheduler"/>, Waits). If one ever did, it
/// fails with the reason instead of running something.</summary>
internal sealed class WaitHandler : ITaskHandler
{
    public string Kind => "wait";

    public ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation) =>
        new(TaskOutcome.Failed($"task '{invocation.TaskId}' is a wait task, which the scheduler keeps; it cannot run on a slot or a worker"));
}
