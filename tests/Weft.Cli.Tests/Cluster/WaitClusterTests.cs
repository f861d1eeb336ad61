using Weft.Tests.EndToEnd;

namespace Weft.Tests.Cluster;

/// <summary>Waits on a PostgreSQL cluster, with real processes: a wait holds no worker slot; the leader
/// is killed (SIGKILL) while a task waits; the standby takes the lead and keeps the wait; a signal sent
/// with <c>weft runs signal --store postgres://…</c> reaches it and the run completes.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class WaitClusterTests
{
    private static readonly TimeSpan TakeOverWithin = TimeSpan.FromSeconds(10);

    private const string Flow = """
        name: release
        tasks:
          build:
            shell: echo built
          approve:
            dependsOn: build
            wait: { signal: approval, timeout: 1h }
          side:
            dependsOn: build
            shell: echo side
          deploy:
            dependsOn: approve
            shell: 'echo "deploying {{ tasks.approve.output.version }}"'
        """;

    [Fact]
    public async Task ALeaderTakeoverDuringAWait_KeepsTheWait_AndASignalThroughTheStoreEndsIt()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        var flow = cluster.Files.Write("release.yaml", Flow);
        var first = cluster.StartServer();
        Assert.True(await first.WaitForOutputAsync("leading:", ClusterHarness.Patience), cluster.Transcript());
        var second = cluster.StartServer();
        Assert.True(await second.WaitForOutputAsync("standby:", ClusterHarness.Patience), cluster.Transcript());
        await cluster.StartWorkerAsync("w1", "--slots", "1");

        var run = cluster.StartRun(flow);
        var runId = await cluster.RunIdAsync();
        await ClusterHarness.EventuallyAsync(
            async () => (await cluster.RunAsync(runId)).Tasks is var tasks
                && tasks.Single(t => t.TaskId == "approve").State == TaskState.Waiting
                && tasks.Single(t => t.TaskId == "side").State == TaskState.Succeeded ? "" : null,
            "approve waiting and side done on the worker's only slot");

        var (leader, standby) = first.Stdout.Contains("leading:", StringComparison.Ordinal) ? (first, second) : (second, first);
        leader.Crash();
        await leader.WaitForExitAsync();
        Assert.True(await standby.WaitForOutputAsync("leading:", TakeOverWithin), $"the standby did not take the lead\n{cluster.Transcript()}");
        Assert.Equal(TaskState.Waiting, (await cluster.RunAsync(runId)).Tasks.Single(t => t.TaskId == "approve").State);

        var signal = await WeftProcess.RunAsync(cluster.Files.Directory, "runs", "signal", runId, "approve", "--data", """{"version":"9"}""", "--store", cluster.Store);
        Assert.True(signal.ExitCode == 0, signal.ToString());
        var exit = await run.WaitForExitAsync();

        Assert.True(exit == 0, $"weft run exited {exit}\n{cluster.Transcript()}");
        var recorded = await cluster.RunAsync(runId);
        Assert.Equal(RunState.Succeeded, recorded.State);
        Assert.Equal("deploying 9", recorded.Tasks.Single(t => t.TaskId == "deploy").Output?.Trim());
        var approve = recorded.Tasks.Single(t => t.TaskId == "approve");
        Assert.Equal(1, approve.Attempts);
        Assert.StartsWith("signal from cli ", approve.AttemptHistory[0].Worker, StringComparison.Ordinal);
    }
}
