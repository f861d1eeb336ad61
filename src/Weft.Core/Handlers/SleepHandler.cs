using Weft.Definitions;
using Weft.Execution;
using Weft.Scheduling;

namespace Weft.Handlers;

/// <summary>Waits asynchronously on the engine's clock (simulated I/O; also a real "wait" step).</summary>
internal sealed class SleepHandler : ITaskHandler
{
    public string Kind => "sleep";

    public async ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation)
    {
        var spec = (SleepSpec)invocation.Spec;
        await LongTimers.DelayAsync(spec.Duration, invocation.TimeProvider, invocation.CancellationToken).ConfigureAwait(false);
        return TaskOutcome.Success;
    }
}
