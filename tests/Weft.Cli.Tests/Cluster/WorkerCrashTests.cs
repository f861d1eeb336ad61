using Weft.Execution;

namespace Weft.Tests.Cluster;

/// <summary>Workers die (SIGKILL, or a handler that ends the process): the scheduler notices their
/// leases lapse and runs their tasks again as new attempts, never a task that already succeeded; a task
/// that keeps killing workers is quarantined.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class WorkerCrashTests
{
    // What the history of an attempt cut off by its worker's death says.
    private const string WorkerLost = "worker lost";

    // Short leases so a dead worker is noticed in about two seconds.
    private static readonly string[] QuickLeases = ["--heartbeat", "0.5", "--dead-after", "2"];

    [Fact]
    public async Task SigkillOfAWorkerHoldingTasks_ItsTasksRunAgainAsWorkerLostAndTheRunSucceeds()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        var flow = cluster.Files.Write("slow.yaml", ClusterWorkflows.Slow(levels: 2, width: 30, seconds: 0.3, log: "log.txt"));
        var server = cluster.StartServer();
        var victim = await cluster.StartWorkerAsync("victim", ["--slots", "3", .. QuickLeases]);
        await cluster.StartWorkerAsync("survivor", ["--slots", "3", .. QuickLeases]);
        Assert.True(await server.WaitForOutputAsync("leading:", ClusterHarness.Patience), cluster.Transcript());

        var run = cluster.StartRun(flow);
        var runId = await cluster.RunIdAsync();

        // Kill the victim once some tasks have succeeded and it holds tasks of its own.
        await ClusterHarness.EventuallyAsync(
            async () => (await cluster.RunAsync(runId)).Tasks.Count(t => t.State == TaskState.Succeeded) >= 3 && await cluster.HeldByAsync("victim") > 0 ? "" : null,
            "three tasks succeeded while the victim holds tasks");
        victim.Crash();
        await victim.WaitForExitAsync();
        var succeededAtKill = (await cluster.RunAsync(runId)).Tasks.Where(t => t.State == TaskState.Succeeded).Select(t => t.TaskId).ToHashSet(StringComparer.Ordinal);

        var exit = await run.WaitForExitAsync();

        Assert.True(exit == 0, $"weft run exited {exit}\n{cluster.Transcript()}");
        var recorded = await cluster.RunAsync(runId);
        var log = cluster.LogCounts("log.txt");
        Assert.Equal(RunState.Succeeded, recorded.State);
        Assert.All(recorded.Tasks, t =>
        {
            Assert.True(t.State == TaskState.Succeeded, $"{t.TaskId} is {t.State.ToName()}: {t.Error}");

            // Each attempt that began wrote one line; an attempt the worker only held, none.
            var lines = log.GetValueOrDefault(t.TaskId);
            Assert.True(lines >= 1 && lines <= t.Attempts, $"{t.TaskId}: {lines} log lines for {t.Attempts} attempts");
            Assert.Equal(1, t.AttemptHistory.Count(a => a.Outcome == TaskOutcomeStatus.Succeeded));
            Assert.All(t.AttemptHistory.SkipLast(1), a => Assert.StartsWith(WorkerLost, a.Error ?? "", StringComparison.Ordinal));
        });
        var lost = recorded.Tasks.Where(t => t.Attempts > 1).ToList();
        Assert.True(lost.Count > 0, $"no task of the killed worker ran again\n{cluster.Transcript()}");
        foreach (var id in succeededAtKill)
        {
            var task = recorded.Tasks.Single(t => t.TaskId == id);
            Assert.True(task.Attempts == 1 && log.GetValueOrDefault(id) == 1, $"{id} had succeeded before the kill but ran again ({task.Attempts} attempts, {log.GetValueOrDefault(id)} log lines)");
        }
    }

    [Fact]
    public async Task AHandlerThatCrashesEveryWorkerRunningIt_IsQuarantinedAndTheRunFails()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        var flow = cluster.Files.Write("crash.yaml", ClusterWorkflows.CrashesItsWorker);
        var server = cluster.StartServer();
        var functions = Path.Combine(AppContext.BaseDirectory, "Weft.TestFunctions.dll");
        var workers = await Task.WhenAll(Enumerable.Range(1, 4).Select(i =>
            cluster.StartWorkerAsync($"w{i}", ["--slots", "1", "--assembly", functions, .. QuickLeases])));
        Assert.True(await server.WaitForOutputAsync("leading:", ClusterHarness.Patience), cluster.Transcript());

        var run = cluster.StartRun(flow);
        var exit = await run.WaitForExitAsync();

        Assert.True(exit == 1, $"weft run exited {exit}, not 1 (failed)\n{cluster.Transcript()}");
        var recorded = await cluster.RunAsync(await cluster.RunIdAsync());
        Assert.Equal(RunState.Failed, recorded.State);
        var boom = recorded.Tasks.Single(t => t.TaskId == "boom");
        Assert.Equal(TaskState.Failed, boom.State);
        Assert.Contains("quarantined", boom.Error ?? "", StringComparison.Ordinal);
        Assert.Equal(3, boom.AttemptHistory.Count);
        Assert.All(boom.AttemptHistory, a => Assert.StartsWith(WorkerLost, a.Error ?? "", StringComparison.Ordinal));
        Assert.All(recorded.Tasks.Where(t => t.TaskId != "boom"), t => Assert.True(t.State == TaskState.Succeeded, $"{t.TaskId} is {t.State.ToName()}"));

        // Three workers died running it; the fourth was never given it again.
        Assert.Equal(3, workers.Count(w => w.HasExited));
    }
}
