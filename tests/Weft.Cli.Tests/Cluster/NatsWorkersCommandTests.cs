using System.Text.Json;
using Weft.Tests.EndToEnd;

namespace Weft.Tests.Cluster;

/// <summary><c>weft workers</c> on a NATS cluster: straight from NATS with <c>--transport</c>, and through a
/// server on the transport with <c>--server</c>; real worker processes.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class NatsWorkersCommandTests
{
    [Fact]
    public async Task Weft_workers_lists_the_nats_workers_alive_then_one_stopped_by_sigterm_as_stopped_by_transport_and_by_server()
    {
        await using var cluster = await NatsProcessCluster.StartAsync();
        await cluster.StartServerAsync();
        var gpu = await cluster.StartWorkerAsync("gpu-1", "--slots", "3", "--queues", "gpu,default");
        await cluster.StartWorkerAsync("cpu-1", "--slots", "2");

        var byTransport = await WorkersAsync(cluster, "--transport", cluster.Nats.Url);
        Assert.Equal(["cpu-1", "gpu-1"], byTransport.Select(w => w.GetProperty("name").GetString()));
        var gpuEntry = byTransport.Single(w => w.GetProperty("name").GetString() == "gpu-1");
        Assert.Equal("alive", gpuEntry.GetProperty("state").GetString());
        Assert.Equal(3, gpuEntry.GetProperty("slots").GetInt32());
        Assert.Equal(["gpu", "default"], gpuEntry.GetProperty("queues").EnumerateArray().Select(q => q.GetString()));
        Assert.Equal(gpu.Id, gpuEntry.GetProperty("pid").GetInt32());

        await gpu.SignalAsync("TERM");
        Assert.Equal(0, await gpu.WaitForExitAsync());
        var byServer = await WorkersAsync(cluster, "--server", cluster.ApiUrl);

        Assert.Equal("stopped", byServer.Single(w => w.GetProperty("name").GetString() == "gpu-1").GetProperty("state").GetString());
        Assert.Equal("alive", byServer.Single(w => w.GetProperty("name").GetString() == "cpu-1").GetProperty("state").GetString());
        var table = await WeftProcess.RunAsync(cluster.Files.Directory, "workers", "--transport", cluster.Nats.Url);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("cpu-1", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("stopped", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Weft_workers_with_a_nats_server_that_does_not_answer_is_exit_code_2_naming_it()
    {
        using var files = new WorkflowFiles();
        var result = await WeftProcess.RunAsync(files.Directory, "workers", "--transport", "nats://127.0.0.1:1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nats://127.0.0.1:1", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    private static async Task<List<JsonElement>> WorkersAsync(NatsProcessCluster cluster, params string[] source)
    {
        var result = await WeftProcess.RunAsync(cluster.Files.Directory, ["workers", .. source, "--json"]);
        Assert.True(result.ExitCode == 0, $"weft workers exited {result.ExitCode}: {result.Stderr}\n{cluster.Transcript()}");
        return [.. JsonDocument.Parse(result.Stdout).RootElement.EnumerateArray().Select(e => e.Clone())];
    }
}
