using Weft.Definitions;
using Weft.Execution;
using static Weft.Storage.Tests.Samples;

namespace Weft.Storage.Tests.Conformance;

/// <summary>Map task instances are rows like any task's, under ids such as <c>each[10]</c>: a run's
/// snapshot lists them after the definition's tasks, by map task then index (10 after 9, not after 1),
/// with their map task's kind, attempts and outputs.</summary>
public abstract partial class StoreConformanceTests
{
    private static WorkflowDefinition MapFlow() => new("fan",
    [
        new TaskDefinition("list", NoopSpec.Instance),
        new TaskDefinition("each", new ShellSpec("echo {{ item }}")) { DependsOn = ["list"], Map = new MapSpec("{{ tasks.list.output }}") },
        new TaskDefinition("report", NoopSpec.Instance) { DependsOn = ["each"] },
    ]);

    [Fact]
    public async Task MapInstances_AreListedAfterTheDefinitionsTasksInIndexOrder_WithTheirAttemptsAndOutputs()
    {
        await Store.CreateRunAsync(Run("r1", T0, MapFlow()));
        List<StoreChange> changes = [TaskChange("r1", "each", TaskState.Running)];
        foreach (var i in new[] { 10, 2, 9, 0, 1 })
        {
            var id = $"each[{i}]";
            changes.Add(TaskChange("r1", id, TaskState.Succeeded));
            changes.Add(AttemptChange("r1", id, 1, TaskOutcomeStatus.Succeeded, $"out{i}"));
        }

        changes.Add(TaskChange("r1", "each[3]", TaskState.Retrying, attempts: 2));
        changes.Add(AttemptChange("r1", "each[3]", 1, TaskOutcomeStatus.Failed) with { Error = "boom" });
        changes.Add(AttemptChange("r1", "each[3]", 2, TaskOutcomeStatus.Failed) with { Error = "boom again" });
        changes.Add(TaskChange("r1", "other[1]", TaskState.Succeeded)); // no map task of that name: not listed
        await Store.WriteAsync(changes);

        var run = await Store.GetRunAsync("r1");

        Assert.Equal(["list", "each", "report", "each[0]", "each[1]", "each[2]", "each[3]", "each[9]", "each[10]"], run!.Tasks.Select(t => t.TaskId));
        Assert.All(run.Tasks.Skip(3), t => Assert.Equal("shell", t.Kind));
        Assert.Equal("out10", run.Tasks[^1].Output);
        var retrying = run.Tasks.Single(t => t.TaskId == "each[3]");
        Assert.Equal(TaskState.Retrying, retrying.State);
        Assert.Equal(["boom", "boom again"], retrying.AttemptHistory.Select(a => a.Error));
        Assert.Equal("out9", await Store.GetOutputAsync("r1", "each[9]"));
    }
}
