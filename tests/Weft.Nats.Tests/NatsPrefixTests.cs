using System.Text.Json.Nodes;
using NATS.Net;
using Weft.Definitions;
using Weft.Execution;

namespace Weft.Nats.Tests;

/// <summary>Clusters with different <see cref="NatsTransport.Prefix"/>es (and one without) on one nats-server:
/// each has its own streams, subjects, consumers and buckets, so a worker never sees another cluster's task.</summary>
public sealed class NatsPrefixTests
{
    [Fact]
    public async Task Three_clusters_on_one_server_each_run_their_own_workflow_on_their_own_worker_only()
    {
        await using var server = await NatsServer.StartAsync();
        string[] prefixes = ["staging", "prod_2", ""];
        var clusters = new List<NatsCluster>();
        try
        {
            var workers = new List<NatsWorker>();
            foreach (var prefix in prefixes)
            {
                var cluster = await NatsCluster.StartAsync(server, new NatsTransport(server.Url) { Prefix = prefix }, ownsServer: false);
                clusters.Add(cluster);
                var name = prefix.Length == 0 ? "plain-worker" : prefix + "-worker";
                workers.Add(await cluster.WorkerAsync(name, configure: o => o.Handlers.Add(new HoldHandler(name, blocks: false))));
            }

            var runs = await Task.WhenAll(clusters.Select(c => c.RunAsync(Fan(12))));

            for (var i = 0; i < clusters.Count; i++)
            {
                var transcript = clusters[i].Transcript();
                Assert.True(runs[i].State == RunState.Succeeded, transcript);
                Assert.Equal(12, runs[i].Tasks.Count);
                Assert.All(runs[i].Tasks, t => Assert.Equal($"done by {workers[i].Name}", t.Output));
                Assert.All(runs[i].Tasks, t => Assert.Equal(workers[i].Name, t.AttemptHistory.Single().Worker));
                var worker = workers[i];
                Assert.Equal(12, await SettledAsync(() => worker.Completed, 12)); // its own tasks, none of another cluster's
                Assert.Equal([worker.Name], (await new NatsTransport(server.Url) { Prefix = prefixes[i] }.ListWorkersAsync()).Select(w => w.Name));
            }

            await using var connection = NatsSetup.Connect(server.Url, "test");
            var js = connection.CreateJetStreamContext();
            var streams = new List<string>();
            await foreach (var stream in js.ListStreamNamesAsync())
            {
                streams.Add(stream);
            }

            string[] expected =
            [
                "WEFT_staging_TASKS", "WEFT_staging_RESULTS", "KV_weft-staging-definitions", "KV_weft-staging-claims", "KV_weft-staging-workers",
                "WEFT_prod_2_TASKS", "WEFT_prod_2_RESULTS", "KV_weft-prod_2-definitions", "KV_weft-prod_2-claims", "KV_weft-prod_2-workers",
                "WEFT_TASKS", "WEFT_RESULTS", "KV_weft-definitions", "KV_weft-claims", "KV_weft-workers",
            ];
            Assert.Equal(expected.Order(StringComparer.Ordinal), streams.Order(StringComparer.Ordinal));
            var staging = await js.GetStreamAsync("WEFT_staging_TASKS");
            Assert.Equal(["weft.staging.tasks.*"], staging.Info.Config.Subjects);
            Assert.Equal("weft-staging-queue-default", (await js.GetConsumerAsync("WEFT_staging_TASKS", "weft-staging-queue-default")).Info.Name);
            Assert.Equal("weft-staging-scheduler", (await js.GetConsumerAsync("WEFT_staging_RESULTS", "weft-staging-scheduler")).Info.Name);
        }
        finally
        {
            foreach (var cluster in clusters)
            {
                await cluster.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData("a.b")]
    [InlineData("has space")]
    [InlineData("x*")]
    [InlineData(">")]
    [InlineData("grün")]
    [InlineData("a-prefix-that-is-longer-than-32-c")]
    public void A_prefix_that_cannot_be_part_of_a_NATS_name_is_refused_naming_it_and_what_is_allowed(string prefix)
    {
        var transport = new NatsTransport("nats://127.0.0.1:4222");

        var error = Assert.Throws<ArgumentException>(() => transport.Prefix = prefix);

        Assert.Contains($"'{prefix}' is not a NATS name prefix: use at most 32 letters, digits, '-' and '_'", error.Message, StringComparison.Ordinal);
        Assert.Equal("", transport.Prefix); // unchanged
    }

    [Fact]
    public void The_prefix_tasks_is_refused_because_its_subjects_are_the_unprefixed_clusters_task_subjects()
    {
        var error = Assert.Throws<ArgumentException>(() => new NatsTransport("nats://127.0.0.1:4222") { Prefix = "tasks" });

        Assert.Contains("'tasks' is not a NATS name prefix", error.Message, StringComparison.Ordinal);
        Assert.Contains("weft.tasks.results", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_prefix_the_names_are_the_ones_of_before()
    {
        var names = new NatsTransport("nats://127.0.0.1:4222").Names;

        Assert.Equal(
            ["WEFT_TASKS", "WEFT_RESULTS", "weft.tasks.*", "weft.tasks.gpu", "weft.results", "weft.cancel", "weft-scheduler", "weft-queue-gpu", "weft-definitions", "weft-claims", "weft-workers"],
            [names.TaskStream, names.ResultStream, names.TaskSubjects, names.TaskSubject("gpu"), names.ResultSubject, names.CancelSubject, names.SchedulerConsumer, names.WorkerConsumer("gpu"), names.DefinitionBucket, names.ClaimBucket, names.WorkerBucket]);
    }

    [Fact]
    public void With_a_prefix_every_name_carries_it()
    {
        var names = new NatsTransport("nats://127.0.0.1:4222") { Prefix = "Stage-1_b" }.Names;

        Assert.Equal(
            ["WEFT_Stage-1_b_TASKS", "WEFT_Stage-1_b_RESULTS", "weft.Stage-1_b.tasks.*", "weft.Stage-1_b.tasks.a~2eb", "weft.Stage-1_b.results", "weft.Stage-1_b.cancel", "weft-Stage-1_b-scheduler", "weft-Stage-1_b-queue-a~2eb", "weft-Stage-1_b-definitions", "weft-Stage-1_b-claims", "weft-Stage-1_b-workers"],
            [names.TaskStream, names.ResultStream, names.TaskSubjects, names.TaskSubject("a.b"), names.ResultSubject, names.CancelSubject, names.SchedulerConsumer, names.WorkerConsumer("a.b"), names.DefinitionBucket, names.ClaimBucket, names.WorkerBucket]);
    }

    private static WorkflowDefinition Fan(int tasks)
    {
        var flow = new WorkflowBuilder("fan");
        for (var i = 0; i < tasks; i++)
        {
            flow.Task($"t{i}", t => t.Kind(new CustomSpec("hold", JsonValue.Create(true))));
        }

        return flow.Build();
    }

    private static async Task<long> SettledAsync(Func<long> read, long expected)
    {
        var limit = DateTime.UtcNow + NatsCluster.HardLimit;
        while (read() < expected && DateTime.UtcNow < limit)
        {
            await Task.Delay(20);
        }

        await Task.Delay(200); // nothing more arrives: no task of another cluster
        return read();
    }
}
