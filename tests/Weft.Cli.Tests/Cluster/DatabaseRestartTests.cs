using Weft.Execution;
using Weft.Testing;

namespace Weft.Tests.Cluster;

/// <summary>PostgreSQL restarts while a cluster runs a workflow: every process loses its connections
/// (and the scheduler its leadership lock) at once. They reconnect and the run completes; no outcome a
/// worker had recorded is lost, and no task succeeds twice.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class DatabaseRestartTests
{
    [Fact]
    public async Task DatabaseRestartMidRun_TheRunCompletesWithEveryTaskSucceededOnce()
    {
        if (await TestPostgres.WhyNoRestartAsync() is { } why)
        {
            Assert.Fail($"this test must restart PostgreSQL and cannot: {why}");
        }

        await using var cluster = await ClusterHarness.StartAsync();
        var flow = cluster.Files.Write("slow.yaml", ClusterWorkflows.Slow(levels: 4, width: 10, seconds: 0.2, log: "log.txt"));
        var server = cluster.StartServer();
        await Task.WhenAll(cluster.StartWorkerAsync("w1", "--slots", "4"), cluster.StartWorkerAsync("w2", "--slots", "4"));
        Assert.True(await server.WaitForOutputAsync("leading:", ClusterHarness.Patience), cluster.Transcript());

        var run = cluster.StartRun(flow);
        var runId = await cluster.RunIdAsync();
        await ClusterHarness.EventuallyAsync(
            async () => (await cluster.RunAsync(runId)).Tasks.Count(t => t.State == TaskState.Succeeded) >= 5 ? "" : null,
            "five tasks succeeded");
        await TestPostgres.RestartAsync();
        var succeededAtRestart = await ClusterHarness.EventuallyAsync(
            async () => (await cluster.RunAsync(runId)).Tasks.Where(t => t.State == TaskState.Succeeded).Select(t => t.TaskId).ToList(),
            "the store readable again after the restart");

        var exit = await run.WaitForExitAsync();

        Assert.True(exit == 0, $"weft run exited {exit}\n{cluster.Transcript()}");
        var recorded = await ClusterHarness.EventuallyAsync(() => cluster.RunAsync(runId)!, "the finished run");
        Assert.Equal(RunState.Succeeded, recorded.State);
        Assert.True(succeededAtRestart.Count < recorded.Tasks.Count, "the run had finished before the restart: not a test of it");
        var log = cluster.LogCounts("log.txt");
        Assert.All(recorded.Tasks, t =>
        {
            Assert.True(t.State == TaskState.Succeeded, $"{t.TaskId} is {t.State.ToName()}: {t.Error}");
            Assert.Equal(1, t.AttemptHistory.Count(a => a.Outcome == TaskOutcomeStatus.Succeeded));
            Assert.True(log.GetValueOrDefault(t.TaskId) == t.Attempts, $"{t.TaskId}: ran {log.GetValueOrDefault(t.TaskId)} times in {t.Attempts} attempts");
        });
        foreach (var id in succeededAtRestart)
        {
            Assert.Equal(1, recorded.Tasks.Single(t => t.TaskId == id).Attempts);
        }
    }
}
