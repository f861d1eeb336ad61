using System.Net;
using System.Net.Sockets;
using Weft.Nats.Tests;
using Weft.Tests.EndToEnd;

namespace Weft.Tests.Cluster;

/// <summary>Real processes on NATS JetStream: a nats-server, <c>weft server --store sqlite:… --transport nats://…</c>,
/// <c>weft worker --transport nats://…</c> processes (no store), and <c>weft run --server</c>.</summary>
[Trait("Category", "EndToEnd")]
public sealed class NatsTransportProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly string[] QuickLeases = ["--heartbeat", "0.5", "--dead-after", "2"];

    // The first attempt of long waits 20 s (it must still run when its worker is killed, however
    // slowly a loaded machine shows it started); the attempt after the crash ends at once.
    private const string Flow = """
        name: nats-crash
        tasks:
          split: { shell: 'echo split >> log.txt' }
          quick1: { dependsOn: split, shell: 'echo quick1 >> log.txt' }
          quick2: { dependsOn: split, shell: 'echo quick2 >> log.txt' }
          quick3: { dependsOn: split, shell: 'echo quick3 >> log.txt' }
          long: { dependsOn: [quick1, quick2, quick3], shell: 'if [ -e long.once ]; then echo long >> log.txt; else touch long.once; sleep 20; fi' }
          join: { dependsOn: long, shell: 'echo join >> log.txt; echo joined' }
        """;

    [Fact]
    public async Task Sigkill_of_the_worker_running_a_task_makes_it_run_again_as_worker_lost_and_the_run_succeeds()
    {
        await using var nats = await NatsServer.StartAsync();
        using var files = new WorkflowFiles();
        var file = files.Write("crash.yaml", Flow);
        var url = $"http://127.0.0.1:{FreePort()}";
        using var server = WeftProcess.Start(files.Directory, "server", "--store", "sqlite:runs.db", "--transport", nats.Url, "--urls", url);
        using var victim = WeftProcess.Start(files.Directory, ["worker", "--transport", nats.Url, "--name", "victim", .. QuickLeases]);
        Assert.True(await server.WaitForOutputAsync("listening on", Patience), server.Stdout + server.Stderr);
        Assert.True(await victim.WaitForOutputAsync("weft worker victim serving", Patience), victim.Stdout + victim.Stderr);

        using var run = WeftProcess.Start(files.Directory, "run", file, "--server", url);
        Assert.True(await run.WaitForOutputAsync("long started", Patience), run.Stdout + run.Stderr);
        // "started" is when the scheduler published it; kill the victim once it is running it (its first
        // step is the marker file), or on a loaded machine the survivor may get its first delivery.
        var marker = Path.Combine(files.Directory, "long.once");
        await NatsProcessCluster.EventuallyAsync(() => Task.FromResult(File.Exists(marker) ? "" : null), "long to begin on the victim");
        victim.Crash();
        using var survivor = WeftProcess.Start(files.Directory, ["worker", "--transport", nats.Url, "--name", "survivor", .. QuickLeases]);
        var exit = await run.WaitForExitAsync();

        var transcript = $"run:\n{run.Stdout}\n{run.Stderr}\nserver:\n{server.Stdout}\nvictim:\n{victim.Stdout}{victim.Stderr}\nsurvivor:\n{survivor.Stdout}{survivor.Stderr}\nlog:\n{File.ReadAllText(Path.Combine(files.Directory, "log.txt"))}";
        Assert.True(exit == 0, transcript);
        Assert.True(run.Stdout.Contains("worker lost", StringComparison.Ordinal), transcript);
        Assert.Contains("joined", run.Stdout, StringComparison.Ordinal);
        var log = File.ReadAllLines(Path.Combine(files.Directory, "log.txt"));
        foreach (var once in new[] { "split", "quick1", "quick2", "quick3", "join" })
        {
            Assert.True(log.Count(l => l == once) == 1, $"{once} ran {log.Count(l => l == once)} times\n{transcript}"); // no finished task reran
        }
    }

    [Theory]
    [InlineData("worker --transport nats://127.0.0.1:4222 --store sqlite:x.db", "has no store")]
    [InlineData("worker --transport http://127.0.0.1:4222", "is not a NATS server URL")]
    [InlineData("server --store memory --transport nats://127.0.0.1:4222", "needs a store that keeps runs")]
    [InlineData("server --store sqlite:x.db --transport nats:/nowhere", "is not a NATS server URL")]
    public async Task A_transport_that_cannot_work_is_refused_with_exit_code_2_naming_the_problem(string args, string message)
    {
        using var files = new WorkflowFiles();
        var result = await WeftProcess.RunAsync(files.Directory, args.Split(' '));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public async Task Credentials_in_a_transport_url_are_never_printed()
    {
        using var files = new WorkflowFiles();
        var result = await WeftProcess.RunAsync(files.Directory, "server", "--store", "memory", "--transport", "nats://alice:s3cret@127.0.0.1:4222");

        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("s3cret", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.Contains("nats://127.0.0.1:4222", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transport_from_weft_yaml_connects_the_server_and_a_worker_without_the_flag()
    {
        await using var nats = await NatsServer.StartAsync();
        using var files = new WorkflowFiles();
        files.Write("weft.yaml", $"transport:\n  kind: nats\n  url: {nats.Url}\n");
        var file = files.Write("hello.yaml", "name: hello\ntasks:\n  hi: { shell: 'echo hi from $(hostname)' }\n");
        var url = $"http://127.0.0.1:{FreePort()}";
        using var server = WeftProcess.Start(files.Directory, "server", "--store", "sqlite:runs.db", "--urls", url);
        using var worker = WeftProcess.Start(files.Directory, ["worker", "--name", "from-config", .. QuickLeases]);
        Assert.True(await server.WaitForOutputAsync("listening on", Patience), server.Stdout + server.Stderr);
        Assert.True(await worker.WaitForOutputAsync("weft worker from-config serving", Patience), worker.Stdout + worker.Stderr);

        var run = await WeftProcess.RunAsync(files.Directory, "run", file, "--server", url);

        Assert.True(run.ExitCode == 0, $"{run.Stdout}\n{run.Stderr}\nserver:\n{server.Stdout}{server.Stderr}\nworker:\n{worker.Stdout}{worker.Stderr}");
        Assert.Contains("hi from", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("from-config", worker.Stdout + server.Stdout + run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("transport:\n  kind: nats\n", "weft.yaml:2:9: transport.url: is required when transport.kind is nats")]
    [InlineData("transport:\n  kind: nats\n  url: http://127.0.0.1:4222\n", "is not a NATS server URL")]
    [InlineData("transport:\n  url: nats://127.0.0.1:4222\n", "is only read when transport.kind is nats")]
    public async Task A_transport_section_that_cannot_work_is_refused_with_exit_code_2_naming_the_key(string yaml, string message)
    {
        using var files = new WorkflowFiles();
        files.Write("weft.yaml", yaml);

        var result = await WeftProcess.RunAsync(files.Directory, "worker", "--name", "w");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("weft.yaml", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
