using Weft.Execution;
using Weft.Scheduling;

namespace Weft;

public sealed partial class WeftEngine
{
    /// <summary>Runs one attempt of a task of a run held by this engine, through the attempt executor
    /// that cluster workers use too. (<see cref="ExecuteAttempt"/> puts the result cache in front.)</summary>
    private ValueTask<TaskOutcome> RunAttempt(WorkItem item, int attempt)
    {
        var run = item.Run;
        var task = run.Plan.Tasks[item.Task];
        var invocation = new TaskInvocation
        {
            RunId = run.RunId,
            WorkflowName = run.WorkflowName,
            TaskId = task.Id,
            Attempt = attempt,
            Spec = task.Spec,
            CancellationToken = run.Cancellation.Token,
            TimeProvider = _time,
            OutputLimit = _options.OutputLimitBytes,
            Values = run,
        };
        return _attempts.RunAsync(run.Plan.Handlers[item.Task], invocation, task.Timeout);
    }
}
