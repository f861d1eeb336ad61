using Weft.Definitions;
using Weft.Tests.Scheduling;

namespace Weft.Tests.ChildWorkflows;

/// <summary>examples/nightly.yaml loads (with its child by path, without warnings) and runs: two child runs,
/// whose outputs the report reads.</summary>
public sealed class ChildExampleTests
{
    [Fact]
    public async Task TheExample_RunsItsRegionsAsChildRuns_AndReportsFromTheirOutputs()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Weft.slnx")))
        {
            dir = dir.Parent;
        }

        var example = WorkflowLoader.LoadFile(Path.Combine(dir!.FullName, "examples", "nightly.yaml"), null, out var warnings);
        Assert.Empty(warnings);
        await using var h = new EngineHarness(2);

        var run = await h.RunAsync(example);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal("rows of eu (3), rows of us", run.Tasks.Single(t => t.TaskId == "report").Output!.Trim());
        Assert.Equal(2, (await h.Engine.Store.ListRunsAsync(new Storage.RunQuery { ParentRunId = run.RunId })).Count);
    }
}
