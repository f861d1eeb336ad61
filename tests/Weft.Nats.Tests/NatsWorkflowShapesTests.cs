using Weft.Definitions;

namespace Weft.Nats.Tests;

/// <summary>The workflow shapes whose machinery is the scheduler's — a map task's instances, a wait for a
/// signal, a child workflow — on a scheduler whose tasks travel over NATS: what reaches the workers is
/// ordinary attempts, what stays with the scheduler never does.</summary>
public sealed class NatsWorkflowShapesTests
{
    private const string Registered = """
        name: load-region
        params:
          region: { required: true }
        tasks:
          load:
            shell: echo loaded {{ params.region }}
        """;

    private const string Nightly = """
        name: nightly
        tasks:
          regions:
            shell: echo '["eu","us","ap"]'
          convert:
            dependsOn: regions
            map: { over: "{{ tasks.regions.output }}" }
            shell: echo converted {{ item }}
          approve:
            dependsOn: convert
            wait: { signal: approval, timeout: 1h }
          publish:
            dependsOn: approve
            workflow: load-region
            params:
              region: "{{ tasks.approve.output.region }}"
        """;

    [Fact]
    public async Task A_map_a_signal_wait_and_a_child_workflow_run_over_nats_and_only_their_attempts_reach_the_workers()
    {
        await using var cluster = await NatsCluster.StartAsync();
        var worker = await cluster.WorkerAsync("w1", slots: 4);
        await cluster.Engine.Workflows.RegisterAsync(Registered, "load-region.yaml");
        var flow = WorkflowLoader.Parse(Nightly, "nightly.yaml", new WorkflowLoadOptions());
        var handle = await cluster.Engine.SubmitAsync(flow);

        await UntilAsync(() => cluster.Engine.GetRun(handle.RunId)?.Tasks.Single(t => t.TaskId == "approve").State == TaskState.Waiting, "the wait to begin", cluster);
        var waiting = cluster.Engine.GetRun(handle.RunId)!;
        Assert.Equal(4, worker.Completed); // regions and three instances: a waiting task is not sent to a worker
        Assert.Equal(["converted eu", "converted us", "converted ap"], waiting.Tasks.Where(t => t.TaskId.StartsWith("convert[", StringComparison.Ordinal)).Select(t => t.Output?.Trim()));

        await cluster.Engine.SignalAsync(new TaskSignal(handle.RunId, "approve") { Data = """{"region":"eu"}""", Origin = "test" });
        var run = await handle.WaitAsync().WaitAsync(NatsCluster.HardLimit);

        Assert.True(run.State == RunState.Succeeded, cluster.Transcript());
        var publish = run.Tasks.Single(t => t.TaskId == "publish");
        Assert.Contains("loaded eu", publish.Output, StringComparison.Ordinal); // the child's output, by task id
        // Plus the child's one task; the child run itself is the scheduler's. The worker counts a task once
        // its ack is sent, which may be just after the scheduler committed the outcome and ended the run.
        await UntilAsync(() => worker.Completed >= 5, "the worker to count the child's task", cluster);
        Assert.Equal(5, worker.Completed);
        var children = await cluster.Engine.Store.ListRunsAsync(new Storage.RunQuery { ParentRunId = handle.RunId });
        Assert.Equal(RunState.Succeeded, Assert.Single(children).State);
    }

    private static async Task UntilAsync(Func<bool> condition, string what, NatsCluster cluster)
    {
        var limit = DateTime.UtcNow + NatsCluster.HardLimit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < limit, $"still waiting for {what}\n{cluster.Transcript()}");
            await Task.Delay(20);
        }
    }
}
