using Weft.Definitions;
using Weft.Execution;
using Weft.Handlers.Containers;
using Weft.Testing;

namespace Weft.Tests.Handlers.Containers;

/// <summary>Container handler invocations on the test podman, each with a run id of its own so
/// container names never meet across tests.</summary>
internal static class ContainerInvocations
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public static ContainerHandler Handler() => new(TestPodman.Settings());

    public static TaskInvocation For(
        ContainerSpec spec,
        IReadOnlyDictionary<string, string>? values = null,
        CancellationToken cancellationToken = default,
        string? runId = null,
        int attempt = 1,
        int outputLimit = OutputLimit.DefaultBytes) => new()
        {
            RunId = runId ?? NewRunId(),
            WorkflowName = "wf",
            TaskId = "box",
            Attempt = attempt,
            Spec = spec,
            CancellationToken = cancellationToken,
            TimeProvider = TimeProvider.System,
            OutputLimit = outputLimit,
            Values = new TestTemplateValues(values),
        };

    public static string NewRunId() => Guid.NewGuid().ToString("N");

    /// <summary>The containers podman holds for <paramref name="runId"/>.</summary>
    public static IReadOnlyList<string> ContainersOf(string runId) =>
        [.. TestPodman.Containers().Where(n => n.Contains(runId, StringComparison.Ordinal))];

    /// <summary>Busybox with the network off: the tests need none, and it starts faster.</summary>
    public static ContainerSpec Box(params string[] command) =>
        new(TestPodman.Image) { Command = command.Length == 0 ? null : command, Network = "none", Pull = Weft.Configuration.PullPolicy.Never };
}
