using Weft.Bench;
using Weft.Definitions;

namespace Weft.Tests.Bench;

public sealed class WorkloadShapeTests
{
    [Fact]
    public void W1_Is20000IndependentNoops()
    {
        var w1 = Workloads.W1();
        Assert.Equal(20_000, w1.Tasks.Count);
        Assert.All(w1.Tasks, t => Assert.Empty(t.DependsOn));
        Assert.All(w1.Tasks, t => Assert.IsType<NoopSpec>(t.Spec));
        AssertIdsAreSequential(w1);
    }

    [Fact]
    public void W2_IsAChainOf2000Noops()
    {
        var w2 = Workloads.W2();
        Assert.Equal(2_000, w2.Tasks.Count);
        AssertIdsAreSequential(w2);
        Assert.Empty(w2.Tasks[0].DependsOn);
        for (var i = 1; i < w2.Tasks.Count; i++)
        {
            Assert.Equal(["t" + (i - 1)], w2.Tasks[i].DependsOn);
        }

        Assert.Equal(2_000, CriticalPathTasks(w2));
    }

    [Fact]
    public void W3_Is10LevelsOf200_EachAfterTwoDistinctTasksOfThePreviousLevel()
    {
        var w3 = Workloads.W3();
        Assert.Equal(2_000, w3.Tasks.Count);
        AssertIdsAreSequential(w3);
        for (var id = 0; id < w3.Tasks.Count; id++)
        {
            var level = id / 200;
            var parents = w3.Tasks[id].DependsOn.Select(p => int.Parse(p.AsSpan(1))).ToArray();
            if (level == 0)
            {
                Assert.Empty(parents);
                continue;
            }

            Assert.Equal(2, parents.Length);
            Assert.NotEqual(parents[0], parents[1]);
            Assert.All(parents, p => Assert.Equal(level - 1, p / 200));
        }

        Assert.Equal(9 * 200 * 2, w3.Tasks.Sum(t => t.DependsOn.Count));
        Assert.Equal(10, CriticalPathTasks(w3));
    }

    [Theory]
    [InlineData(5, 2, 1, 4)]
    [InlineData(15, 7, 6, 9)]
    [InlineData(30, 14, 14, 16)]
    public void W4_HasStartTwoChainsAndEnd(int n, int a, int b, int criticalPath)
    {
        var w4 = Workloads.W4(n);
        Assert.Equal(n, w4.Tasks.Count);
        AssertIdsAreSequential(w4);
        Assert.All(w4.Tasks, t => Assert.Equal(new SleepSpec(TimeSpan.FromMilliseconds(10)), t.Spec));

        Assert.Empty(w4.Tasks[0].DependsOn);
        Assert.Equal(["t0"], w4.Tasks[1].DependsOn);
        Assert.Equal(["t0"], w4.Tasks[a + 1].DependsOn);
        for (var i = 2; i <= a + b; i++)
        {
            if (i != a + 1)
            {
                Assert.Equal(["t" + (i - 1)], w4.Tasks[i].DependsOn);
            }
        }

        Assert.Equal(["t" + a, "t" + (a + b)], w4.Tasks[n - 1].DependsOn);
        Assert.Equal(n - 1 + 1, w4.Tasks.Sum(t => t.DependsOn.Count));
        Assert.Equal(criticalPath, CriticalPathTasks(w4));
        Assert.Equal(criticalPath, Workloads.W4CriticalPathTasks(n));
    }

    [Fact]
    public void Flat_100000_IsIndependentNoops()
    {
        var flat = Workloads.Flat(100_000);
        Assert.Equal(100_000, flat.Tasks.Count);
        Assert.All(flat.Tasks, t => Assert.Empty(t.DependsOn));
        Assert.Equal("t99999", flat.Tasks[^1].Id);
    }

    private static void AssertIdsAreSequential(WorkflowDefinition definition)
    {
        for (var i = 0; i < definition.Tasks.Count; i++)
        {
            Assert.Equal("t" + i, definition.Tasks[i].Id);
        }
    }

    // Longest path in tasks, computed here from the edges rather than trusting the shape formula.
    // Every workload lists parents before children, so one pass in definition order suffices.
    private static int CriticalPathTasks(WorkflowDefinition definition)
    {
        var depth = new Dictionary<string, int>();
        foreach (var task in definition.Tasks)
        {
            depth[task.Id] = 1 + task.DependsOn.Select(p => depth[p]).DefaultIfEmpty(0).Max();
        }

        return depth.Values.Max();
    }
}
