using System.Globalization;
using System.Text.RegularExpressions;

namespace Weft.Tests.Cluster;

/// <summary>The cluster tests that exist for PostgreSQL, on NATS JetStream with real processes: W3 on three
/// worker processes; SIGKILL of one of three workers mid-run; nats-server restarted (file storage) or frozen
/// (SIGSTOP, as a network cut looks to its clients) mid-run. The run completes, every task succeeds once,
/// and nothing a worker had finished is lost or runs again.</summary>
[Trait("Category", "EndToEnd")]
public sealed partial class NatsClusterProcessTests(Xunit.Abstractions.ITestOutputHelper output)
{
    // Short enough that a killed worker's tasks come back within seconds, long enough that a worker on a
    // loaded 2-core machine (the whole suite runs beside it) does not miss a beat and look lost.
    private static readonly string[] QuickLeases = ["--heartbeat", "0.5", "--dead-after", "5"];

    [Fact]
    public async Task W3_on_three_worker_processes_every_task_succeeds_once_and_the_work_is_shared()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var cluster = await NatsProcessCluster.StartAsync();
        var flow = cluster.Files.Write("w3.yaml", ClusterWorkflows.W3());
        await cluster.StartServerAsync();
        string[] names = ["w1", "w2", "w3"];
        var workers = await Task.WhenAll(names.Select(n => cluster.StartWorkerAsync(n, "--slots", "4")));
        output.WriteLine($"cluster up after {clock.Elapsed.TotalSeconds:0.0} s");

        var run = cluster.StartRun(flow);
        var exit = await run.WaitForExitAsync();
        output.WriteLine($"run done after {clock.Elapsed.TotalSeconds:0.0} s");

        Assert.True(exit == 0, $"weft run exited {exit}\n{cluster.Transcript()}");
        var recorded = await cluster.RunAsync(await cluster.RunIdAsync());
        Assert.Equal("succeeded", recorded.State);
        Assert.Equal(ClusterWorkflows.W3Levels * ClusterWorkflows.W3Width, recorded.Tasks.Count);
        Assert.All(recorded.Tasks, t => Assert.True(
            t.State == "succeeded" && t.Attempts == 1 && t.History.Count == 1,
            $"{t.TaskId}: {t.State} after {t.Attempts} attempts ({string.Join("; ", t.History)})"));
        Assert.All(recorded.Tasks, t => Assert.Contains(t.History[0].Worker, names));

        // A worker stopped with SIGTERM says how many tasks it completed: together, each task once.
        var completed = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < workers.Length; i++)
        {
            await workers[i].SignalAsync("TERM");
            Assert.Equal(0, await workers[i].WaitForExitAsync());
            var match = StoppedLine().Match(workers[i].Stdout);
            Assert.True(match.Success, workers[i].Stdout);
            completed[names[i]] = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        Assert.Equal(recorded.Tasks.Count, completed.Values.Sum());
        Assert.True(completed.Values.Count(c => c > 0) >= 2, $"the work was not shared: {string.Join(", ", completed)}");
    }

    [Fact]
    public async Task Sigkill_of_one_of_three_workers_mid_run_brings_its_tasks_back_as_worker_lost_and_nothing_finished_reruns()
    {
        await using var cluster = await NatsProcessCluster.StartAsync();
        // Six tasks a level and two slots on each of three workers: while a level runs, every worker holds two.
        var flow = cluster.Files.Write("slow.yaml", ClusterWorkflows.Slow(levels: 4, width: 6, seconds: 1, log: "log.txt"));
        await cluster.StartServerAsync();
        var workers = await Task.WhenAll(new[] { "w1", "w2", "w3" }.Select(n => cluster.StartWorkerAsync(n, ["--slots", "2", .. QuickLeases])));

        var run = cluster.StartRun(flow);
        var runId = await cluster.RunIdAsync();
        await NatsProcessCluster.EventuallyAsync(
            async () => (await cluster.RunAsync(runId)).Tasks.Count(t => t.State == "succeeded") >= 7 ? "" : null,
            "seven tasks succeeded", cluster.Transcript);
        // A worker that has a shell task running this moment (it holds a delivery, not just a published task).
        var victim = await NatsProcessCluster.EventuallyAsync(
            () => Task.FromResult(workers.FirstOrDefault(w => w.ChildCount() > 0)), "a worker running a task");
        victim.Crash();
        var succeededAtKill = (await cluster.RunAsync(runId)).Tasks.Where(t => t.State == "succeeded").Select(t => t.TaskId).ToList();
        var exit = await run.WaitForExitAsync();

        Assert.True(exit == 0, $"weft run exited {exit}\n{cluster.Transcript()}");
        var recorded = await cluster.RunAsync(runId);
        Assert.Equal("succeeded", recorded.State);
        Assert.True(succeededAtKill.Count < recorded.Tasks.Count, "the run had finished before the kill: not a test of it");
        Assert.Contains(recorded.Tasks.SelectMany(t => t.History), a => a.Outcome == "interrupted" && a.Error?.StartsWith("worker lost", StringComparison.Ordinal) == true);
        AssertEachTaskSucceededOnce(cluster, recorded, succeededAtKill, allowReruns: true);
    }

    [Theory]
    [InlineData("restart")]
    [InlineData("crash")]
    [InlineData("freeze")]
    public async Task Nats_server_restarted_or_frozen_mid_run_servers_and_workers_reconnect_and_the_run_completes_with_nothing_lost(string outage)
    {
        await using var cluster = await NatsProcessCluster.StartAsync();
        var flow = cluster.Files.Write("slow.yaml", ClusterWorkflows.Slow(levels: 4, width: 6, seconds: 0.5, log: "log.txt"));
        await cluster.StartServerAsync();
        // A lease well past the outage: a task that ran on through it is not presumed lost.
        await Task.WhenAll(new[] { "w1", "w2" }.Select(n => cluster.StartWorkerAsync(n, "--slots", "4", "--heartbeat", "1", "--dead-after", "15")));

        var run = cluster.StartRun(flow);
        var runId = await cluster.RunIdAsync();
        await NatsProcessCluster.EventuallyAsync(
            async () => (await cluster.RunAsync(runId)).Tasks.Count(t => t.State == "succeeded") >= 4 ? "" : null,
            "four tasks succeeded");
        var succeededAtOutage = (await cluster.RunAsync(runId)).Tasks.Where(t => t.State == "succeeded").Select(t => t.TaskId).ToList();
        if (outage is "restart" or "crash")
        {
            await cluster.Nats.RestartAsync(downFor: TimeSpan.FromSeconds(2), crash: outage == "crash");
        }
        else
        {
            await cluster.Nats.SignalAsync("STOP");
            await Task.Delay(TimeSpan.FromSeconds(4));
            await cluster.Nats.SignalAsync("CONT");
        }

        var exit = await run.WaitForExitAsync();

        Assert.True(exit == 0, $"weft run exited {exit}\n{cluster.Transcript()}");
        var recorded = await cluster.RunAsync(runId);
        output.WriteLine(string.Join("\n", recorded.Tasks.Select(t => $"{t.TaskId} {t.Attempts} {string.Join("; ", t.History)}")));
        Assert.Equal("succeeded", recorded.State);
        Assert.True(succeededAtOutage.Count < recorded.Tasks.Count, "the run had finished before the outage: not a test of it");
        // A crashed nats-server (SIGKILL; 2.9 writes JetStream state out asynchronously) may forget deliveries
        // and acks: a task then comes back (at least once), as a worker-lost attempt or as a second delivery
        // of the same attempt, which may run again on a worker. The record still holds one success per task.
        AssertEachTaskSucceededOnce(cluster, recorded, succeededAtOutage, allowReruns: outage == "crash", atLeastOnce: outage == "crash");
    }

    // Every task succeeded in exactly one recorded attempt, and what had succeeded before the incident got no
    // new attempt. Each attempt that began ran once (the log; a worker-lost attempt reported by the worker
    // that got the redelivery never began there), unless the incident may deliver an attempt twice
    // (atLeastOnce); without it, every task also ran in exactly one attempt.
    private static void AssertEachTaskSucceededOnce(NatsProcessCluster cluster, RecordedRun recorded, List<string> succeededBefore, bool allowReruns, bool atLeastOnce = false)
    {
        var log = cluster.LogCounts("log.txt");
        Assert.All(recorded.Tasks, t =>
        {
            var history = string.Join("; ", t.History);
            var began = log.GetValueOrDefault(t.TaskId);
            Assert.True(t.State == "succeeded", $"{t.TaskId} is {t.State}: {history}");
            Assert.True(t.History.Count(a => a.Outcome == "succeeded") == 1, $"{t.TaskId}: {history}");
            Assert.True(allowReruns || t.Attempts == 1, $"{t.TaskId} ran {t.Attempts} attempts: {history}\n{cluster.Transcript()}");
            Assert.True(began >= 1 && (atLeastOnce || began <= t.Attempts), $"{t.TaskId}: began {began} times in {t.Attempts} attempts: {history}");
        });
        foreach (var id in succeededBefore)
        {
            var before = recorded.Tasks.Single(t => t.TaskId == id);
            Assert.True(before.Attempts == 1, $"{id}, succeeded before the incident, has {before.Attempts} attempts: {string.Join("; ", before.History)}\n{cluster.Transcript()}");
            Assert.True(atLeastOnce || log.GetValueOrDefault(id) == 1, $"{id} began {log.GetValueOrDefault(id)} times");
        }
    }

    [GeneratedRegex(@"stopped: (\d+) tasks completed")]
    private static partial Regex StoppedLine();
}
