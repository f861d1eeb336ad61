using Weft.Definitions;
using Weft.Sqlite;

namespace Weft.Storage.Tests;

public sealed class SharedStoreTests
{
    [Fact]
    public async Task SubmitAsync_SameRunIdFromTwoEnginesOnOneFile_OnlyTheFirstStartsIt()
    {
        using var db = new TempDatabase();
        await using var storeA = await SqliteStore.OpenAsync(new SqliteStoreOptions { Path = db.Path });
        await using var storeB = await SqliteStore.OpenAsync(new SqliteStoreOptions { Path = db.Path });
        await using var serverA = WeftEngine.Create(o => o.Store = storeA);
        await using var serverB = WeftEngine.Create(o => o.Store = storeB);
        var flow = new WorkflowDefinition("nightly", [new TaskDefinition("a", NoopSpec.Instance)]);
        var tick = new SubmitOptions { RunId = "schedule-nightly-20260101t0200" };

        var first = await serverA.SubmitAsync(flow, options: tick);
        var ex = await Assert.ThrowsAsync<WeftDuplicateRunException>(async () => await serverB.SubmitAsync(flow, options: tick));

        Assert.Equal(tick.RunId, ex.RunId);
        Assert.Equal(RunState.Succeeded, (await first.WaitAsync().WaitAsync(TimeSpan.FromSeconds(20))).State);
        Assert.Single(await storeB.ListRunsAsync(new Storage.RunQuery()));
        Assert.Empty(serverB.RunIds());
    }
}
