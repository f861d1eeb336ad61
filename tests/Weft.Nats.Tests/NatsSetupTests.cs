using NATS.Client.JetStream.Models;
using NATS.Client.KeyValueStore;
using NATS.Net;
using Weft.Definitions;

namespace Weft.Nats.Tests;

/// <summary>What Weft declares on a NATS server (streams, buckets, a queue's shared consumer), declared by a
/// scheduler and its workers at the same moment on a fresh server.</summary>
public sealed class NatsSetupTests
{
    [Fact]
    public async Task Six_processes_declaring_at_once_on_a_fresh_server_all_come_up()
    {
        // nats-server 2.9.10 panics when the client's create-or-update (an update first) reaches a stream another
        // connection is still creating, and a losing create fails ("subjects overlap with an existing stream"):
        // with create-or-update, 3 of 40 such rounds failed here. Each round is a fresh server.
        for (var round = 0; round < 30; round++)
        {
            await using var server = await NatsServer.StartAsync();
            var connections = Enumerable.Range(0, 6).Select(i => NatsSetup.Connect(server.Url, $"declarer-{i}")).ToList();
            try
            {
                await Task.WhenAll(connections.Select(async connection =>
                {
                    await NatsSetup.DeclareAsync(connection, NatsNames.Unprefixed, CancellationToken.None);
                    await NatsSetup.DeclareClaimsAsync(connection, NatsNames.Unprefixed, CancellationToken.None);
                    await NatsWorkerDirectory.DeclareAsync(connection, NatsNames.Unprefixed, CancellationToken.None);
                })).WaitAsync(NatsCluster.HardLimit);
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException($"round {round}: declaring failed; nats-server said:\n{server.Log}", ex);
            }
            finally
            {
                foreach (var connection in connections)
                {
                    await connection.DisposeAsync();
                }
            }

            var streams = await server.StreamNamesAsync();
            Assert.Contains(NatsNames.Unprefixed.TaskStream, streams);
            Assert.Contains(NatsNames.Unprefixed.ResultStream, streams);
        }
    }

    [Fact]
    public async Task Workers_of_one_queue_starting_at_once_on_a_fresh_server_share_its_consumer_and_the_server_stays_up()
    {
        // With create-or-update a racing worker could bring nats-server 2.9.10 down (the run then never ended).
        // A worker may still log "not ready" once: a stream another worker has just created can refuse a
        // publish for a moment ("no responders"), and the worker starts again after a short back-off.
        for (var round = 0; round < 10; round++)
        {
            await using var cluster = await NatsCluster.StartAsync();
            await Task.WhenAll(Enumerable.Range(0, 4).Select(i => cluster.WorkerAsync($"w{i}"))).WaitAsync(NatsCluster.HardLimit);
            var run = await cluster.RunAsync(new WorkflowBuilder("after-racing-start").Task("only", t => t.Noop()).Build());

            Assert.Equal(RunState.Succeeded, run.State);
            await using var connection = NatsSetup.Connect(cluster.Server.Url, "test");
            var consumers = new List<string>();
            await foreach (var name in connection.CreateJetStreamContext().ListConsumerNamesAsync(NatsNames.Unprefixed.TaskStream))
            {
                consumers.Add(name);
            }

            Assert.Equal([NatsNames.Unprefixed.WorkerConsumer("default")], consumers);
            Assert.DoesNotContain("panic", cluster.Server.Log, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_worker_that_is_the_first_process_on_a_fresh_server_declares_what_it_needs_and_comes_up_at_once()
    {
        // A worker asks for its queue's consumer before it knows the task stream exists; on a fresh server it
        // does not, and the worker must declare the stream and ask again, not fail its start and back off.
        await using var server = await NatsServer.StartAsync();
        var log = new List<string>();
        var options = new Weft.Cluster.ClusterWorkerOptions { Name = "first", Slots = 1, OnLog = m => { lock (log) { log.Add(m); } } };
        options.Queues.Add("gpu");
        await using var worker = await NatsWorker.StartAsync(server.Url, options).WaitAsync(NatsCluster.HardLimit);

        await using var connection = NatsSetup.Connect(server.Url, "test");
        var js = connection.CreateJetStreamContext();
        var consumers = new List<string>();
        await foreach (var name in js.ListConsumerNamesAsync(NatsNames.Unprefixed.TaskStream))
        {
            consumers.Add(name);
        }

        Assert.Equal(["weft-queue-default", "weft-queue-gpu"], consumers.Order(StringComparer.Ordinal));
        lock (log)
        {
            Assert.DoesNotContain(log, m => m.Contains("not ready", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Declaring_over_what_an_older_weft_declared_brings_its_settings_up_to_date_and_keeps_its_messages()
    {
        await using var server = await NatsServer.StartAsync();
        await using var connection = NatsSetup.Connect(server.Url, "older");
        await connection.ConnectAsync();
        var js = connection.CreateJetStreamContext();
        var names = NatsNames.Unprefixed;
        await js.CreateStreamAsync(new StreamConfig(names.TaskStream, [names.TaskSubjects])
        {
            Retention = StreamConfigRetention.Workqueue,
            Storage = StreamConfigStorage.File,
            DuplicateWindow = TimeSpan.FromSeconds(30),
        });
        await NatsSetup.PublishStoredAsync(js, names.TaskSubject("default"), "{}"u8.ToArray(), "kept", CancellationToken.None);
        await connection.CreateKeyValueStoreContext().CreateStoreAsync(new NatsKVConfig(names.ClaimBucket) { Storage = NatsKVStorageType.File });

        await NatsSetup.DeclareAsync(connection, names, CancellationToken.None);
        var claims = await NatsSetup.DeclareClaimsAsync(connection, names, CancellationToken.None);

        var tasks = await js.GetStreamAsync(names.TaskStream);
        Assert.Equal(TimeSpan.FromMinutes(2), tasks.Info.Config.DuplicateWindow);
        Assert.Equal(1L, tasks.Info.State.Messages);
        Assert.Equal(NatsSetup.ClaimMemory, (await claims.GetStatusAsync()).Info.Config.MaxAge);
    }
}
