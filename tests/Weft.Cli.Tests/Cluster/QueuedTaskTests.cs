using System.Text.Json;
using Weft.Cli;
using Weft.Tests.EndToEnd;

namespace Weft.Tests.Cluster;

/// <summary>A task handed to the cluster's queue is <c>queued</c> until a worker serving its queue
/// claims it, not <c>running</c> (which is how the store records it from the moment it is queued).</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class QueuedTaskTests
{
    private const string GpuOnly = """
        name: gpu-only
        tasks:
          train:
            shell: echo trained
            queue: gpu
        """;

    private static async Task<(int Exit, string Out, string Err)> InvokeAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await WeftCli.InvokeAsync(args, CliIo.Redirected(output, error));
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task TaskWaitingForAWorkerOnItsQueue_ShowsQueued_ThenRunsWhenOneComes()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        var flow = cluster.Files.Write("gpu.yaml", GpuOnly);
        cluster.StartServer();
        await cluster.StartWorkerAsync("cpu-1");
        var follower = cluster.StartRun(flow);
        var runId = await cluster.RunIdAsync();
        await ClusterHarness.EventuallyAsync(
            async () => (await cluster.RunAsync(runId)).Tasks[0].State == TaskState.Running ? "dispatched" : null,
            "the scheduler to hand 'train' to the gpu queue");

        var json = await InvokeAsync("runs", "show", runId, "--store", cluster.Store, "--json");
        var text = await InvokeAsync("runs", "show", runId, "--store", cluster.Store);

        Assert.True(json.Exit == 0, json.Err);
        var train = JsonDocument.Parse(json.Out).RootElement.GetProperty("tasks").GetProperty("train");
        Assert.Equal("queued", train.GetProperty("state").GetString());
        Assert.Equal("waiting for a worker on queue 'gpu'", train.GetProperty("waitReason").GetString());
        var row = text.Out.Split('\n').First(l => l.Contains("│ train", StringComparison.Ordinal));
        Assert.Contains("queued", row, StringComparison.Ordinal);
        Assert.DoesNotContain("running", row, StringComparison.Ordinal);

        await cluster.StartWorkerAsync("gpu-1", "--queues", "gpu");
        Assert.Equal(0, await follower.WaitForExitAsync());
        var after = await InvokeAsync("runs", "show", runId, "--store", cluster.Store, "--json");
        Assert.Equal("succeeded", JsonDocument.Parse(after.Out).RootElement.GetProperty("tasks").GetProperty("train").GetProperty("state").GetString());
    }
}
