using Weft.Tests.Scheduling;
using static Weft.Tests.ChildWorkflows.ChildHarness;

namespace Weft.Tests.ChildWorkflows;

/// <summary>Workflows calling each other by registered name cannot be seen as a cycle when loaded: the
/// depth limit ends them at run time, failing the task that would go deeper with the chain of runs.</summary>
public sealed class ChildDepthTests
{
    [Fact]
    public async Task AWorkflowCallingItself_FailsAtDepthTen_NamingTheChain()
    {
        await using var h = new ChildHarness();
        await h.RegisterAsync("""
            name: recurse
            tasks:
              again: { workflow: recurse }
            """);
        var top = (await h.Engine.Workflows.FindAsync("recurse"))!.Definition;

        var handle = await h.Engine.SubmitAsync(top);
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Failed, run.State);
        var runs = await h.Engine.Store.ListRunsAsync(new Storage.RunQuery { Workflow = "recurse", Limit = 100 });
        Assert.Equal(10, runs.Count);
        Assert.All(runs, r => Assert.Equal(RunState.Failed, r.State));
        var deepest = runs.Single(r => runs.All(other => other.ParentRunId != r.RunId));
        var error = Task((await h.Engine.Store.GetRunAsync(deepest.RunId))!, "again").Error!;
        Assert.StartsWith(
            "child workflow not started: runs may nest at most 10 deep (WeftOptions.MaxWorkflowDepth, config key maxWorkflowDepth), and this run is at depth 10: "
            + $"recurse ({handle.RunId}) → recurse (", error, StringComparison.Ordinal);
        Assert.EndsWith($"recurse ({deepest.RunId})", error, StringComparison.Ordinal);
        Assert.Equal(10, error.Split(" → ").Length);
        var child = (await h.ChildrenOfAsync(handle.RunId)).Single();
        Assert.StartsWith($"child run {child.RunId} of workflow 'recurse' failed: again (failed: child run ", Task(run, "again").Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLimitIsAnOption()
    {
        await using var h = new ChildHarness(configure: o => o.MaxWorkflowDepth = 2);
        await h.RegisterAsync("""
            name: recurse
            tasks:
              again: { workflow: recurse }
            """);

        var run = await h.Harness.RunAsync((await h.Engine.Workflows.FindAsync("recurse"))!.Definition);

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(2, (await h.Engine.Store.ListRunsAsync(new Storage.RunQuery { Workflow = "recurse" })).Count);
        Assert.Equal("MaxWorkflowDepth must be positive (was 0)", Assert.Single(
            Assert.Throws<WeftConfigurationException>(() => WeftEngine.Create(o => o.MaxWorkflowDepth = 0)).Errors));
    }
}
