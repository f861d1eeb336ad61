using NATS.Net;
using Weft.Cluster;

namespace Weft.Nats.Tests;

/// <summary>Worker liveness on NATS (<c>weft workers</c>, <c>GET /api/workers</c>): what the scheduler's engine
/// and the transport list while workers serve, after a clean stop, and once a worker stopped heartbeating.</summary>
public sealed class NatsWorkerDirectoryTests
{
    [Fact]
    public async Task A_serving_worker_is_listed_alive_with_its_queues_and_slots_and_a_cleanly_stopped_one_as_stopped()
    {
        await using var cluster = await NatsCluster.StartAsync();
        var gpu = await cluster.WorkerAsync("gpu-1", slots: 3, queues: ["gpu", "default"], configure: o => o.Tags.Add("cuda"));
        await cluster.WorkerAsync("plain-1", slots: 2);

        var listed = await cluster.Engine.ListWorkersAsync();

        Assert.NotNull(listed);
        Assert.Equal(["gpu-1", "plain-1"], listed.Select(w => w.Name));
        var first = listed[0];
        Assert.Equal(["gpu", "default"], first.Queues);
        Assert.Equal(["cuda"], first.Tags);
        Assert.Equal(3, first.Slots);
        Assert.Equal(Environment.ProcessId, first.ProcessId);
        Assert.False(first.Lost);
        Assert.False(first.Stopped);
        Assert.NotNull(first.HeartbeatAt);
        Assert.True(first.LeaseUntil > first.HeartbeatAt);

        await gpu.StopAsync(TimeSpan.Zero);
        var afterStop = await new NatsTransport(cluster.Server.Url).ListWorkersAsync();

        Assert.True(afterStop.Single(w => w.Name == "gpu-1").Stopped);
        Assert.False(afterStop.Single(w => w.Name == "plain-1").Stopped);
    }

    [Fact]
    public async Task A_worker_that_stopped_heartbeating_is_lost_once_its_own_dead_after_has_passed_and_not_before()
    {
        await using var cluster = await NatsCluster.StartAsync();
        var worker = await cluster.WorkerAsync("silent", configure: o =>
        {
            o.LeaseFor = TimeSpan.FromSeconds(20);
            o.HeartbeatEvery = TimeSpan.FromSeconds(5);
        });
        await worker.AbandonAsync(); // as a SIGKILL: no stopped record

        await using var connection = NatsSetup.Connect(cluster.Server.Url, "test");
        var bucket = await NatsWorkerDirectory.DeclareAsync(connection, NatsNames.Unprefixed, CancellationToken.None);
        var entry = Assert.Single(await NatsWorkerDirectory.ListAsync(bucket, DateTimeOffset.UtcNow, CancellationToken.None));
        var heartbeat = entry.HeartbeatAt!.Value;

        var justBefore = Assert.Single(await NatsWorkerDirectory.ListAsync(bucket, heartbeat + TimeSpan.FromSeconds(19), CancellationToken.None));
        var after = Assert.Single(await NatsWorkerDirectory.ListAsync(bucket, heartbeat + TimeSpan.FromSeconds(21), CancellationToken.None));

        Assert.False(justBefore.Lost);
        Assert.True(after.Lost);
        Assert.False(after.Stopped);
        Assert.Equal(heartbeat + TimeSpan.FromSeconds(20), after.LeaseUntil);
    }

    [Fact]
    public async Task An_empty_cluster_lists_no_worker()
    {
        await using var server = await NatsServer.StartAsync();

        Assert.Empty(await new NatsTransport(server.Url).ListWorkersAsync());
    }
}
