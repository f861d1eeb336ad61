using Weft.Cluster;
using Weft.Definitions;
using Weft.Planning;
using Weft.Scheduling;

namespace Weft.Tests.Cluster;

/// <summary>A cluster worker reads a task from the stored definition, which is as the user wrote it; the
/// scheduler's default task timeout must reach it through the attempt's payload.</summary>
public sealed class PayloadEngineTimeoutTests
{
    private static readonly WorkflowDefinition Flow = new WorkflowBuilder("t")
        .Task("open", t => t.Noop())
        .Task("own", t => t.Shell("echo {{ run.id }}").Timeout(TimeSpan.FromSeconds(5)))
        .Build();

    [Fact]
    public void DefaultTaskTimeout_TravelsWithTheAttempt_ForATaskThatSetsNone_AndOnlyForIt()
    {
        var options = new WeftOptions { DefaultTaskTimeout = TimeSpan.FromSeconds(30) };
        var run = Run(ExecutionPlan.Compile(Flow, defaults: EngineTaskDefaults.From(options)));

        var open = TaskPayload.Build(run, 0);
        var own = TaskPayload.Build(run, 1);

        TaskPayload.Read(open, out var openTimeout);
        TaskPayload.Read(own, out var ownTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), openTimeout);
        Assert.Null(ownTimeout); // its own 5 s, which the worker reads from the definition
    }

    [Fact]
    public void WithoutDefaults_ATaskWithoutTemplates_HasNoPayloadAtAll()
    {
        var run = Run(ExecutionPlan.Compile(Flow));

        Assert.Null(TaskPayload.Build(run, 0));
        TaskPayload.Read(TaskPayload.Build(run, 1), out var timeout);
        Assert.Null(timeout);
    }

    private static RunExecution Run(ExecutionPlan plan) =>
        new("r1", plan, new Dictionary<string, string>(), null, DateTimeOffset.UnixEpoch);
}
