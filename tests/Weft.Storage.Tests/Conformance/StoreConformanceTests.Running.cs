using Weft.Cluster;

namespace Weft.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    private static readonly TimeSpan EngineHardLimit = TimeSpan.FromSeconds(30);

    /// <summary>What <c>GET /api/runs?state=running</c> and <c>weft runs list --state running</c> ask:
    /// a run an engine is running on this store is listed (and counted) as running, not pending.
    /// On a cluster store the engine is the cluster's scheduler and no worker takes the task: the
    /// run is running all the same.</summary>
    [Fact]
    public async Task ListRunsAsync_StateRunning_FindsARunAnEngineIsRunningOnThisStore()
    {
        await using var engine = WeftEngine.Create(o =>
        {
            o.Store = Store;
            o.Workers = 1;
            o.Cluster.Schedule = Store is IClusterStore;
        });
        engine.Functions.Register("hold", async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        });
        var handle = await engine.SubmitAsync(Weft.Definitions.Workflow.Create("held").Task("hold", t => t.Function("hold")).Build());

        // A durable store hears of it through the engine's journal, a moment later.
        using var limit = new CancellationTokenSource(EngineHardLimit);
        IReadOnlyList<RunSummary> running;
        while ((running = await Store.ListRunsAsync(new RunQuery { State = RunState.Running }, limit.Token)).Count == 0)
        {
            await Task.Delay(10, limit.Token);
        }

        var listed = Assert.Single(running);
        Assert.Equal(handle.RunId, listed.RunId);
        Assert.Equal(RunState.Running, listed.State);
        Assert.Empty(await Store.ListRunsAsync(new RunQuery { State = RunState.Pending }));
        Assert.Equal(1, (await Store.CountRunsByStateAsync()).GetValueOrDefault(RunState.Running));

        await engine.CancelAsync(handle.RunId);
        if (Store is not IClusterStore)
        {
            // (On a cluster store the run ends through the cluster queue, which no worker serves here.)
            Assert.Equal(RunState.Cancelled, (await handle.WaitAsync().WaitAsync(EngineHardLimit)).State);
        }
    }
}
