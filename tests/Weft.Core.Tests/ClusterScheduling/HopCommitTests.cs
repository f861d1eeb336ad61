using Weft.Cluster;
using Weft.Definitions;
using Weft.Execution;
using Weft.Storage;
using Weft.Tests.Cluster;
using Weft.Tests.Scheduling;

namespace Weft.Tests.ClusterScheduling;

/// <summary>A hop of a chain on a cluster costs one commit of the scheduler's store: the transaction that
/// takes a task's outcome in (its queue row dequeued, its end recorded) also queues the task it made ready.
/// Before, the next task was queued by a second commit after the dispatcher's loop woke.</summary>
public sealed class HopCommitTests
{
    private const int Length = 10;

    [Fact]
    public async Task Each_hop_of_a_chain_queues_the_next_task_in_the_commit_that_takes_the_outcome_in()
    {
        var store = new FlakyClusterStore(new MemoryClusterStore());
        await using var engine = ClusterSchedulers.Create(store);
        var flow = Workflow.Create("chain");
        for (var i = 0; i < Length; i++)
        {
            var after = i == 0 ? [] : new[] { $"t{i - 1}" };
            flow.Task($"t{i}", t => t.Shell("true").DependsOn(after));
        }

        var handle = await engine.SubmitAsync(flow.Build());
        var worker = new ManualWorker(store.Inner);
        var rows = new List<QueuedTask>();
        for (var i = 0; i < Length; i++)
        {
            var row = Assert.Single(await worker.ClaimAsync(1));
            Assert.Equal($"t{i}", row.TaskId);
            rows.Add(row);
            await worker.CompleteAsync(row, TaskOutcome.Succeeded($"out{i}"));
        }

        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        Assert.Equal(RunState.Succeeded, run.State);

        var writes = store.Writes.ToArray();
        for (var i = 0; i + 1 < Length; i++)
        {
            var id = rows[i].Id;
            var taken = Assert.Single(writes, w => w.Any(c => c.Kind == StoreChangeKind.Dequeue && c.QueueId == id));
            Assert.Contains(taken, c => c.Kind == StoreChangeKind.Enqueue && c.TaskId == $"t{i + 1}");
        }
    }
}
