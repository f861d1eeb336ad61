using Weft.Storage;
using Weft.Tests.EndToEnd;

namespace Weft.Tests.Cluster;

/// <summary>Child workflows on a PostgreSQL cluster, with real processes: the leader starts the child run
/// (its tasks run on the workers), is killed (SIGKILL) while the child waits; the standby takes the lead,
/// re-attaches the parent task to the same child run, and the run completes with the child's outputs.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ChildWorkflowClusterTests
{
    private static readonly TimeSpan TakeOverWithin = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ALeaderTakeoverWhileAChildRuns_ReattachesToTheSameChild_AndTheParentCompletes()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        cluster.Files.Write("release-child.yaml", """
            name: release-child
            tasks:
              build:
                shell: echo built
              approve:
                dependsOn: build
                wait: { signal: approval }
            """);
        var flow = cluster.Files.Write("release.yaml", """
            name: release
            tasks:
              child:
                workflow: release-child.yaml
              deploy:
                dependsOn: child
                shell: 'echo "deploying {{ tasks.child.output.build }} {{ tasks.child.output.approve.version }}"'
            """);
        var first = cluster.StartServer();
        Assert.True(await first.WaitForOutputAsync("leading:", ClusterHarness.Patience), cluster.Transcript());
        var second = cluster.StartServer();
        Assert.True(await second.WaitForOutputAsync("standby:", ClusterHarness.Patience), cluster.Transcript());
        await cluster.StartWorkerAsync("w1", "--slots", "1");

        var run = cluster.StartRun(flow);
        var runId = await ClusterHarness.EventuallyAsync(
            async () => (await cluster.Inspector.ListRunsAsync(new RunQuery())).FirstOrDefault(r => r.Workflow == "release")?.RunId, "the parent run");
        var childId = await ClusterHarness.EventuallyAsync(
            async () => (await cluster.Inspector.ListRunsAsync(new RunQuery { ParentRunId = runId })).SingleOrDefault()?.RunId, "the child run");
        await ClusterHarness.EventuallyAsync(
            async () => (await cluster.RunAsync(childId)).Tasks.Single(t => t.TaskId == "approve").State == TaskState.Waiting ? "" : null,
            "the child's approve waiting");
        Assert.Equal(TaskState.Waiting, (await cluster.RunAsync(runId)).Tasks.Single(t => t.TaskId == "child").State);

        var (leader, standby) = first.Stdout.Contains("leading:", StringComparison.Ordinal) ? (first, second) : (second, first);
        leader.Crash();
        await leader.WaitForExitAsync();
        Assert.True(await standby.WaitForOutputAsync("leading:", TakeOverWithin), $"the standby did not take the lead\n{cluster.Transcript()}");

        var signal = await WeftProcess.RunAsync(cluster.Files.Directory, "runs", "signal", childId, "approve", "--data", """{"version":"9"}""", "--store", cluster.Store);
        Assert.True(signal.ExitCode == 0, signal.ToString());
        var exit = await run.WaitForExitAsync();

        Assert.True(exit == 0, $"weft run exited {exit}\n{cluster.Transcript()}");
        var recorded = await cluster.RunAsync(runId);
        Assert.Equal(RunState.Succeeded, recorded.State);
        Assert.Equal("deploying built 9", recorded.Tasks.Single(t => t.TaskId == "deploy").Output?.Trim());
        Assert.Equal(1, recorded.Tasks.Single(t => t.TaskId == "child").Attempts);
        var child = Assert.Single(await cluster.Inspector.ListRunsAsync(new RunQuery { ParentRunId = runId }));
        Assert.Equal((childId, RunState.Succeeded), (child.RunId, child.State));
    }
}
