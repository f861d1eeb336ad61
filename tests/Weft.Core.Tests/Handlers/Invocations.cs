using Weft.Definitions;
using Weft.Execution;

namespace Weft.Tests.Handlers;

/// <summary>Builds a <see cref="TaskInvocation"/> for handler tests.</summary>
internal static class Invocations
{
    public static TaskInvocation For(
        TaskSpec spec,
        IReadOnlyDictionary<string, string>? values = null,
        CancellationToken cancellationToken = default,
        int outputLimit = OutputLimit.DefaultBytes) => new()
        {
            RunId = "run-1",
            WorkflowName = "wf",
            TaskId = "t",
            Attempt = 1,
            Spec = spec,
            CancellationToken = cancellationToken,
            TimeProvider = TimeProvider.System,
            OutputLimit = outputLimit,
            Values = new TestTemplateValues(values),
        };

    /// <summary>Awaits <paramref name="task"/> but fails the test instead of hanging when it takes too long.</summary>
    public static async Task<T> WithHardTimeout<T>(this ValueTask<T> task, TimeSpan limit)
    {
        var asTask = task.AsTask();
        var finished = await Task.WhenAny(asTask, Task.Delay(limit)).ConfigureAwait(false);
        Assert.True(finished == asTask, $"did not finish within {limit}");
        return await asTask.ConfigureAwait(false);
    }
}
