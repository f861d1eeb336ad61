using Weft.Cluster;
using Weft.Definitions;
using Weft.Tests.Scheduling;

namespace Weft.Tests.ClusterScheduling;

/// <summary>Cancelling a cluster run whose tasks wait in the queue: no worker will ever take a cancelled row,
/// so the scheduler must end those attempts itself.</summary>
public sealed class ClusterCancelTests
{
    [Fact]
    public async Task Cancelling_a_run_whose_tasks_no_worker_has_claimed_ends_it_cancelled_without_any_worker()
    {
        var store = new MemoryClusterStore();
        await using var engine = ClusterSchedulers.Create(store);
        var flow = Workflow.Create("queued")
            .Task("a", t => t.Shell("sleep 30"))
            .Task("b", t => t.Shell("sleep 30"))
            .Task("after", t => t.Noop().DependsOn("a", "b"))
            .Build();
        var handle = await engine.SubmitAsync(flow);
        await EngineHarness.WaitUntilAsync(async () => (await store.ListQueuedAsync(handle.RunId)).Count == 2);

        await engine.CancelAsync(handle.RunId);
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Cancelled, run.State);
        Assert.All(run.Tasks, t => Assert.Equal(TaskState.Cancelled, t.State));
        Assert.Empty(await store.ListQueuedAsync(handle.RunId)); // no row left for a worker to find
    }
}
