using Weft.Cluster;
using Weft.Definitions;
using Weft.Tests.Scheduling;

namespace Weft.Tests.ClusterScheduling;

/// <summary><c>Cluster.MaxOutstanding</c>: a cluster scheduler hands a large run to its workers as they get
/// through it, never more than the limit at once, and the run still completes.</summary>
public sealed class OutstandingLimitTests
{
    [Fact]
    public async Task A_run_larger_than_the_limit_never_has_more_than_the_limit_queued_and_completes()
    {
        var store = new MemoryClusterStore();
        await using var engine = ClusterSchedulers.Create(store, o => o.Cluster.MaxOutstanding = 8);
        var flow = new WorkflowBuilder("wide");
        for (var i = 0; i < 60; i++)
        {
            flow.Task($"t{i}", t => t.Noop());
        }

        var handle = await engine.SubmitAsync(flow.Build());
        await EngineHarness.WaitUntilAsync(async () => (await store.ListQueuedAsync(handle.RunId)).Count >= 8);
        var queuedBeforeAnyWorker = (await store.ListQueuedAsync(handle.RunId)).Count;
        var most = 0;
        await using var worker = await ClusterWorker.StartAsync(store.OpenPeer(), new ClusterWorkerOptions { Name = "w1", Slots = 2 });
        var waiting = handle.WaitAsync();
        while (!waiting.IsCompleted)
        {
            most = Math.Max(most, (await store.ListQueuedAsync(handle.RunId)).Count);
            await Task.WhenAny(waiting, Task.Delay(5));
        }

        var run = await waiting.WaitAsync(EngineHarness.HardLimit);
        Assert.Equal(8, queuedBeforeAnyWorker); // the other 52 wait in the scheduler, not in the queue
        Assert.InRange(most, 1, 8);
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.All(run.Tasks, t => Assert.Equal(1, t.Attempts));
    }

    [Fact]
    public void A_limit_below_one_is_a_configuration_error_naming_it()
    {
        var error = Assert.Throws<WeftConfigurationException>(() => WeftEngine.Create(o => o.Cluster.MaxOutstanding = 0));

        Assert.Contains(error.Errors, e => e.Contains("Cluster.MaxOutstanding must be at least 1 (was 0)", StringComparison.Ordinal));
    }
}
