using static Weft.Storage.Tests.Samples;

namespace Weft.Storage.Tests.Conformance;

/// <summary>A child workflow's run records its parent run and task, read back by every read, and a run's children are listed by a filter.</summary>
public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task AChildRunsParent_IsRecordedWithIt_AndARunsChildrenCanBeListed()
    {
        await Store.CreateRunAsync(Run("parent", T0));
        await Store.CreateRunAsync(Run("child1", T0.AddMinutes(1)) with { ParentRunId = "parent", ParentTaskId = "load_region", TriggeredBy = "parent parent/load_region" });
        await Store.CreateRunAsync(Run("child2", T0.AddMinutes(2)) with { ParentRunId = "parent", ParentTaskId = "load_region" });
        await Store.CreateRunAsync(Run("other", T0.AddMinutes(3)) with { ParentRunId = "another", ParentTaskId = "x" });

        var children = await Store.ListRunsAsync(new RunQuery { ParentRunId = "parent" });
        Assert.Equal(["child2", "child1"], children.Select(r => r.RunId));
        Assert.All(children, c => Assert.Equal(("parent", "load_region"), (c.ParentRunId, c.ParentTaskId)));
        var all = await Store.ListRunsAsync(new RunQuery());
        Assert.Equal([null, "parent", "parent", "another"], all.Reverse().Select(r => r.ParentRunId));

        var snapshot = (await Store.GetRunAsync("child1"))!;
        Assert.Equal(("parent", "load_region"), (snapshot.ParentRunId, snapshot.ParentTaskId));
        var loaded = (await Store.LoadRunAsync("child1"))!;
        Assert.Equal(("parent", "load_region"), (loaded.Record.ParentRunId, loaded.Record.ParentTaskId));
        Assert.Equal(("parent", "load_region"), (loaded.Snapshot.ParentRunId, loaded.Snapshot.ParentTaskId));
        Assert.Null((await Store.GetRunAsync("parent"))!.ParentRunId);
        Assert.Empty(await Store.ListRunsAsync(new RunQuery { ParentRunId = "child1" }));
    }
}
