using Weft.Testing;

namespace Weft.Tests.Cluster;

/// <summary>container: tasks on <c>weft worker</c> processes of a PostgreSQL cluster, on a real podman
/// named in the workers' weft.yaml (<c>containers:</c>): they run as on an embedded engine, and a
/// worker killed mid-container leaves a container that the next attempt, on another worker, removes.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ContainerClusterTests
{
    private static readonly string[] QuickLeases = ["--heartbeat", "0.5", "--dead-after", "2"];

    [Fact]
    public async Task ContainerTask_OnAClusterWorker_RunsOnTheConfiguredRuntime()
    {
        await using var cluster = await StartAsync();
        var flow = cluster.Files.Write("box.yaml", $$$"""
            name: box
            params: { who: "$(id); rm -rf /" }
            tasks:
              greet:
                container:
                  image: {{{TestPodman.Image}}}
                  command: 'printf "hello %s" "{{ params.who }}"'
                  network: none
                  pull: never
              fail:
                container: { image: {{{TestPodman.Image}}}, command: [sh, -c, "exit 7"], network: none, pull: never }
            """);
        var server = cluster.StartServer();
        await cluster.StartWorkerAsync("boxer");
        Assert.True(await server.WaitForOutputAsync("leading:", ClusterHarness.Patience), cluster.Transcript());

        var exit = await cluster.StartRun(flow).WaitForExitAsync();

        Assert.True(exit == 1, $"weft run exited {exit}, not 1 (one task fails)\n{cluster.Transcript()}");
        var runId = await cluster.RunIdAsync();
        var tasks = (await cluster.RunAsync(runId)).Tasks.ToDictionary(t => t.TaskId);
        Assert.Equal(TaskState.Succeeded, tasks["greet"].State);
        Assert.Equal("hello $(id); rm -rf /", tasks["greet"].Output);
        Assert.Equal("boxer", tasks["greet"].AttemptHistory[0].Worker);
        Assert.Equal((TaskState.Failed, 7), (tasks["fail"].State, tasks["fail"].ExitCode));
        Assert.DoesNotContain(TestPodman.Containers(), n => n.Contains(runId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WorkerKilledMidContainer_TheNextAttemptOnAnotherWorkerRemovesTheLeftover()
    {
        await using var cluster = await StartAsync();
        var data = Directory.CreateDirectory(Path.Combine(cluster.Files.Directory, "data")).FullName;
        var flow = cluster.Files.Write("box.yaml", $$$"""
            name: box
            tasks:
              long:
                container:
                  image: {{{TestPodman.Image}}}
                  command: "if [ -e /data/started ]; then echo second attempt; else touch /data/started; sleep 300; fi"
                  volumes: ["{{{data}}}:/data"]
                  network: none
                  pull: never
            """);
        var server = cluster.StartServer();
        var victim = await cluster.StartWorkerAsync("victim", QuickLeases);
        Assert.True(await server.WaitForOutputAsync("leading:", ClusterHarness.Patience), cluster.Transcript());
        var run = cluster.StartRun(flow);
        var runId = await cluster.RunIdAsync();
        var first = $"weft-{runId}-long-1";
        await ClusterHarness.EventuallyAsync(
            () => Task.FromResult(File.Exists(Path.Combine(data, "started")) && TestPodman.Containers().Contains(first) ? "" : null),
            "the first attempt's container running");

        victim.Crash();
        await victim.WaitForExitAsync();
        Assert.Contains(first, TestPodman.Containers()); // the runtime keeps it running without its worker
        await cluster.StartWorkerAsync("rescuer", QuickLeases);
        var exit = await run.WaitForExitAsync();

        Assert.True(exit == 0, $"weft run exited {exit}\n{cluster.Transcript()}");
        var task = (await cluster.RunAsync(runId)).Tasks.Single();
        Assert.Equal(("second attempt", 2), (task.Output, task.Attempts));
        Assert.Equal("rescuer", task.AttemptHistory[^1].Worker);
        Assert.DoesNotContain(TestPodman.Containers(), n => n.Contains(runId, StringComparison.Ordinal));
    }

    private static async Task<ClusterHarness> StartAsync()
    {
        var cluster = await ClusterHarness.StartAsync();

        // The workers read the runtime from weft.yaml in their directory; podman's own settings
        // (CONTAINERS_CONF…) they inherit from this process, set by TestPodman.
        cluster.Files.Write("weft.yaml", $"containers:\n  runtime: podman\n  path: {TestPodman.Program}\n");
        return cluster;
    }
}
