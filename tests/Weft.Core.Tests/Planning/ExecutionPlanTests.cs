using Weft.Definitions;
using Weft.Planning;

namespace Weft.Tests.Planning;

public sealed class ExecutionPlanTests
{
    private static TaskDefinition T(string id, params string[] deps) => new(id, NoopSpec.Instance) { DependsOn = deps };

    private static string[] Ids(ExecutionPlan plan, IEnumerable<int> indices) => [.. indices.Select(i => plan.TaskIds[i])];

    [Fact]
    public void Compile_Diamond_GroupsTasksByLevelAndIndexesEdgesBothWays()
    {
        var plan = ExecutionPlan.Compile(new WorkflowDefinition("d", [T("a"), T("b", "a"), T("c", "a"), T("d", "b", "c")]));

        Assert.Equal([["a"], ["b", "c"], ["d"]], plan.Levels.Select(l => Ids(plan, l)));
        Assert.Equal(["b", "c"], Ids(plan, plan.ChildrenOf(0).ToArray()));
        Assert.Equal(["b", "c"], Ids(plan, plan.ParentsOf(3).ToArray()));
        Assert.Equal([0, 1, 1, 2], Enumerable.Range(0, plan.Count).Select(plan.IndegreeOf));
        Assert.Equal(["a"], Ids(plan, plan.Roots));
    }

    [Fact]
    public void Compile_UnevenBranches_CriticalPathFollowsTheLongestOne()
    {
        var plan = ExecutionPlan.Compile(new WorkflowDefinition("u",
            [T("start"), T("short", "start"), T("long1", "start"), T("long2", "long1"), T("long3", "long2"), T("end", "short", "long3")]));

        Assert.Equal(["start", "long1", "long2", "long3", "end"], Ids(plan, plan.CriticalPath));
        Assert.Equal(5, plan.RemainingPath[0]);
        Assert.Equal(2, plan.RemainingPath[1]);
    }

    [Fact]
    public void Compile_SleepTasks_WeighTheCriticalPathByTheirDuration()
    {
        var slow = new TaskDefinition("slow", new SleepSpec(TimeSpan.FromSeconds(10)));
        var plan = ExecutionPlan.Compile(new WorkflowDefinition("w",
            [T("a"), T("b1", "a"), T("b2", "b1"), T("b3", "b2"), slow with { DependsOn = ["a"] }, T("end", "b3", "slow")]));

        Assert.Equal(["a", "slow", "end"], Ids(plan, plan.CriticalPath));
    }

    [Fact]
    public void Compile_DuplicateDependency_CountsTheEdgeOnce()
    {
        var plan = ExecutionPlan.Compile(new WorkflowDefinition("dup", [T("a"), T("b", "a", "a")]));

        Assert.Equal(1, plan.IndegreeOf(1));
        Assert.Single(plan.Children);
    }

    [Fact]
    public void Compile_Cycle_IsABugOfTheCallerAndThrows()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => ExecutionPlan.Compile(new WorkflowDefinition("c", [T("a", "b"), T("b", "a")])));

        Assert.Contains("cycle", ex.Message);
    }

    [Fact]
    public void Compile_ThousandsOfTasks_LevelsMatchTheChainDepth()
    {
        var tasks = Enumerable.Range(0, 5000).Select(i => i == 0 ? T("t0") : T($"t{i}", $"t{i - 1}")).ToArray();

        var plan = ExecutionPlan.Compile(new WorkflowDefinition("chain", tasks));

        Assert.Equal(5000, plan.Levels.Length);
        Assert.Equal(5000, plan.CriticalPath.Length);
    }
}
