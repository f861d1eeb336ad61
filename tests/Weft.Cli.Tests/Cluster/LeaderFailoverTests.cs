using Weft.Execution;
using Weft.Tests.EndToEnd;

namespace Weft.Tests.Cluster;

/// <summary>Two <c>weft server</c> processes on one cluster: one leads, one stands by. SIGKILL of the
/// leader mid-run: the standby takes the lead within seconds and finishes the run, adopting the
/// attempts still out with workers, so nothing runs twice.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class LeaderFailoverTests
{
    private static readonly TimeSpan TakeOverWithin = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task SigkillOfTheLeader_TheStandbyLeadsAndTheRunCompletesWithoutRerunningAnything()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        var flow = cluster.Files.Write("slow.yaml", ClusterWorkflows.Slow(levels: 4, width: 10, seconds: 0.2, log: "log.txt"));
        var first = cluster.StartServer();
        Assert.True(await first.WaitForOutputAsync("leading:", ClusterHarness.Patience), cluster.Transcript());
        var second = cluster.StartServer();
        Assert.True(await second.WaitForOutputAsync("standby:", ClusterHarness.Patience), cluster.Transcript());
        await Task.WhenAll(cluster.StartWorkerAsync("w1", "--slots", "4"), cluster.StartWorkerAsync("w2", "--slots", "4"));

        var run = cluster.StartRun(flow);
        var runId = await cluster.RunIdAsync();
        await ClusterHarness.EventuallyAsync(
            async () => (await cluster.RunAsync(runId)).Tasks.Count(t => t.State == TaskState.Succeeded) >= 5 ? "" : null,
            "five tasks succeeded");
        var (leader, standby) = Leading(first) ? (first, second) : (second, first);
        leader.Crash();
        await leader.WaitForExitAsync();
        var succeededAtKill = (await cluster.RunAsync(runId)).Tasks.Where(t => t.State == TaskState.Succeeded).Select(t => t.TaskId).ToList();

        Assert.True(await standby.WaitForOutputAsync("leading:", TakeOverWithin), $"the standby did not take the lead within {TakeOverWithin.TotalSeconds:0} s\n{cluster.Transcript()}");
        var exit = await run.WaitForExitAsync();

        Assert.True(exit == 0, $"weft run exited {exit}\n{cluster.Transcript()}");
        var recorded = await cluster.RunAsync(runId);
        Assert.Equal(RunState.Succeeded, recorded.State);
        Assert.True(succeededAtKill.Count < recorded.Tasks.Count, "the run had finished before the leader was killed: not a test of the takeover");
        var log = cluster.LogCounts("log.txt");
        Assert.All(recorded.Tasks, t => Assert.True(
            t.State == TaskState.Succeeded && t.Attempts == 1 && log.GetValueOrDefault(t.TaskId) == 1,
            $"{t.TaskId}: {t.State.ToName()}, {t.Attempts} attempts, ran {log.GetValueOrDefault(t.TaskId)} times"));
    }

    private static bool Leading(WeftProcess server) => server.Stdout.Contains("leading:", StringComparison.Ordinal);
}
