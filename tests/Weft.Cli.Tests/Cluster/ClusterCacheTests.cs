using System.Text.Json;
using Weft.Tests.EndToEnd;

namespace Weft.Tests.Cluster;

/// <summary>The result cache on a cluster: a task with <c>cache:</c> runs on a worker once; later runs
/// are finished by the scheduler from the cache, also after the scheduler restarts (the entry is in
/// PostgreSQL).</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ClusterCacheTests
{
    private const string Flow = """
        name: cached-report
        tasks:
          build:
            shell: "echo built >> runs.txt; echo report-v1"
            cache: { ttl: 1h }
          publish:
            shell: "echo publishing {{ tasks.build.output }}"
            dependsOn: [build]
        """;

    [Fact]
    public async Task A_cached_task_runs_once_and_later_runs_hit_even_after_the_scheduler_restarts()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        var flow = cluster.Files.Write("cached.yaml", Flow);
        var server = cluster.StartServer();
        await cluster.StartWorkerAsync("w1", "--slots", "2");
        Assert.True(await server.WaitForOutputAsync("leading:", ClusterHarness.Patience), cluster.Transcript());

        var first = await RunAsync(cluster, flow);
        var second = await RunAsync(cluster, flow);

        await server.SignalAsync("TERM");
        await server.WaitForExitAsync();
        var restarted = cluster.StartServer();
        Assert.True(await restarted.WaitForOutputAsync("leading:", ClusterHarness.Patience), cluster.Transcript());
        var third = await RunAsync(cluster, flow);

        Assert.Equal("succeeded", State(first, "build"));
        Assert.Equal("cached", State(second, "build"));
        Assert.Equal("cached", State(third, "build"));
        Assert.All(new[] { first, second, third }, run => Assert.Equal("publishing report-v1", Output(run, "publish")));
        var ran = File.ReadAllLines(Path.Combine(cluster.Files.Directory, "runs.txt"));
        Assert.Single(ran); // the cached shell command itself ran once, on the worker
    }

    private static async Task<JsonElement> RunAsync(ClusterHarness cluster, string flow)
    {
        var run = cluster.StartRun(flow);
        var exit = await run.WaitForExitAsync();
        Assert.True(exit == 0, $"weft run exited {exit}\n{cluster.Transcript()}");
        return JsonDocument.Parse(run.Stdout).RootElement;
    }

    private static string? State(JsonElement run, string task) =>
        run.GetProperty("tasks").GetProperty(task).GetProperty("state").GetString();

    private static string? Output(JsonElement run, string task) =>
        run.GetProperty("tasks").GetProperty(task).GetProperty("output").GetString()?.Trim();
}
