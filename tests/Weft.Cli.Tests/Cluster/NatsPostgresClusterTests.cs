using Npgsql;
using Weft.Execution;
using Weft.Nats.Tests;
using Weft.Testing;
using Weft.Tests.EndToEnd;

namespace Weft.Tests.Cluster;

/// <summary>A PostgreSQL cluster whose tasks travel over NATS JetStream: <c>weft server --store postgres://…
/// --transport nats://…</c> processes (one leads by the store's advisory lock, the other stands by), <c>weft
/// worker --transport nats://…</c> processes with no database credentials, and <c>weft run --store
/// postgres://…</c> submitting from outside — all real processes, a real nats-server and PostgreSQL.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class NatsPostgresClusterTests
{
    private static readonly TimeSpan TakeOverWithin = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Sigkill_of_the_leader_on_nats_the_standby_leads_and_the_run_completes_with_every_task_run_once()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        await using var nats = await NatsServer.StartAsync();
        var flow = cluster.Files.Write("slow.yaml", ClusterWorkflows.Slow(levels: 4, width: 10, seconds: 0.2, log: "log.txt"));
        var first = StartServer(cluster, nats);
        Assert.True(await first.WaitForOutputAsync("leading:", ClusterHarness.Patience), cluster.Transcript());
        var second = StartServer(cluster, nats);
        Assert.True(await second.WaitForOutputAsync("standby:", ClusterHarness.Patience), cluster.Transcript());
        await Task.WhenAll(StartWorkerAsync(cluster, nats, "w1"), StartWorkerAsync(cluster, nats, "w2"));

        // Submitted to the store by another process: the leader's intake takes it up and its tasks go over NATS.
        var run = cluster.StartRun(flow);
        var runId = await cluster.RunIdAsync();
        await ClusterHarness.EventuallyAsync(
            async () => (await cluster.RunAsync(runId)).Tasks.Count(t => t.State == TaskState.Succeeded) >= 5 ? "" : null,
            "five tasks succeeded");
        var (leader, standby) = first.Stdout.Contains("leading:", StringComparison.Ordinal) ? (first, second) : (second, first);
        leader.Crash();
        await leader.WaitForExitAsync();
        var succeededAtKill = (await cluster.RunAsync(runId)).Tasks.Count(t => t.State == TaskState.Succeeded);

        Assert.True(await standby.WaitForOutputAsync("leading:", TakeOverWithin), $"the standby did not take the lead within {TakeOverWithin.TotalSeconds:0} s\n{cluster.Transcript()}");
        var exit = await run.WaitForExitAsync();

        Assert.True(exit == 0, $"weft run exited {exit}\n{cluster.Transcript()}");
        var recorded = await cluster.RunAsync(runId);
        Assert.Equal(RunState.Succeeded, recorded.State);
        Assert.True(succeededAtKill < recorded.Tasks.Count, "the run had finished before the leader was killed: not a test of the takeover");
        var log = cluster.LogCounts("log.txt");
        Assert.All(recorded.Tasks, t => Assert.True(
            t.State == TaskState.Succeeded && t.Attempts == 1 && log.GetValueOrDefault(t.TaskId) == 1,
            $"{t.TaskId}: {t.State.ToName()}, {t.Attempts} attempts, ran {log.GetValueOrDefault(t.TaskId)} times\n{cluster.Transcript()}"));
        Assert.All(recorded.Tasks, t => Assert.Contains(LastWorker(t), new[] { "w1", "w2" }));

        // NATS carried every task: the store's own queue was never given a row.
        Assert.Equal(0, await QueueRowsEverAsync(cluster));
    }

    [Fact]
    public async Task A_worker_on_nats_runs_a_task_of_a_postgres_cluster_and_the_store_records_which_worker_ran_it()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        await using var nats = await NatsServer.StartAsync();
        var flow = cluster.Files.Write("two.yaml", """
            name: two
            tasks:
              a:
                shell: echo from-a
              b:
                shell: echo from-b
                dependsOn: [a]
            """);
        var server = StartServer(cluster, nats);
        Assert.True(await server.WaitForOutputAsync("leading:", ClusterHarness.Patience), cluster.Transcript());
        Assert.Contains("tasks run on weft worker processes over NATS", server.Stdout, StringComparison.Ordinal);
        await StartWorkerAsync(cluster, nats, "only");

        var run = cluster.StartRun(flow);
        var exit = await run.WaitForExitAsync();

        Assert.True(exit == 0, $"weft run exited {exit}\n{cluster.Transcript()}");
        var recorded = await cluster.RunAsync(await cluster.RunIdAsync());
        Assert.Equal(RunState.Succeeded, recorded.State);
        Assert.All(recorded.Tasks, t => Assert.Equal("only", LastWorker(t)));
        Assert.Contains("from-b", recorded.Tasks.Single(t => t.TaskId == "b").Output ?? "", StringComparison.Ordinal);
        Assert.Equal(0, await QueueRowsEverAsync(cluster));
    }

    private static WeftProcess StartServer(ClusterHarness cluster, NatsServer nats) =>
        cluster.Start("server", "--store", cluster.Store, "--transport", nats.Url, "--urls", "http://127.0.0.1:0");

    private static async Task StartWorkerAsync(ClusterHarness cluster, NatsServer nats, string name)
    {
        var worker = cluster.Start("worker", "--transport", nats.Url, "--name", name, "--slots", "4");
        Assert.True(await worker.WaitForOutputAsync($"weft worker {name} serving", ClusterHarness.Patience), $"worker {name} did not start\n{cluster.Transcript()}");
    }

    private static string LastWorker(TaskSnapshot task) => task.AttemptHistory.Count > 0 ? task.AttemptHistory[^1].Worker ?? "" : "";

    // Rows the store's queue was ever given (its identity sequence): a row deleted again still counts.
    private static async Task<long> QueueRowsEverAsync(ClusterHarness cluster)
    {
        await using var connection = await TestPostgres.OpenRawAsync();
        await using var name = new NpgsqlCommand($"SELECT pg_get_serial_sequence('\"{cluster.Schema}\".queue', 'id')", connection);
        var sequence = (string)(await name.ExecuteScalarAsync())!;
        await using var count = new NpgsqlCommand($"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {sequence}", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
