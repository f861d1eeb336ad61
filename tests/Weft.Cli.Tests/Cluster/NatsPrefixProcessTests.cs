using System.Net;
using System.Net.Sockets;
using NATS.Client.Core;
using NATS.Net;
using Weft.Nats.Tests;
using Weft.Tests.EndToEnd;

namespace Weft.Tests.Cluster;

/// <summary><c>--transport-prefix</c>, <c>WEFT_TRANSPORT_PREFIX</c> and <c>transport: prefix:</c> on <c>weft server</c>,
/// <c>weft worker</c> and <c>weft workers</c>: a cluster under a prefix runs beside an unprefixed one on the same
/// nats-server; a prefix that cannot be part of a NATS name is exit code 2 naming where it came from.</summary>
[Trait("Category", "EndToEnd")]
public sealed class NatsPrefixProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const string Flow = "name: hello\ntasks:\n  hi: { shell: 'echo hi there' }\n";

    [Fact]
    public async Task A_server_with_the_prefix_in_weft_yaml_and_a_worker_with_the_flag_run_under_it_and_weft_workers_lists_each_prefix_apart()
    {
        await using var nats = await NatsServer.StartAsync();
        using var files = new WorkflowFiles();
        using var elsewhere = new WorkflowFiles(); // no weft.yaml: the unprefixed cluster's worker
        files.Write("weft.yaml", $"transport:\n  kind: nats\n  url: {nats.Url}\n  prefix: staging\n");
        var file = files.Write("hello.yaml", Flow);
        var url = $"http://127.0.0.1:{FreePort()}";
        var noPrefix = new Dictionary<string, string?> { ["WEFT_TRANSPORT_PREFIX"] = null };
        using var server = WeftProcess.StartWith(files.Directory, noPrefix, "server", "--store", "sqlite:runs.db", "--urls", url);
        using var worker = WeftProcess.StartWith(files.Directory, noPrefix, "worker", "--name", "staged", "--transport", nats.Url, "--transport-prefix", "staging");
        using var other = WeftProcess.StartWith(elsewhere.Directory, noPrefix, "worker", "--name", "unprefixed", "--transport", nats.Url);
        Assert.True(await server.WaitForOutputAsync("listening on", Patience), server.Stdout + server.Stderr);
        Assert.True(await worker.WaitForOutputAsync("weft worker staged serving", Patience), worker.Stdout + worker.Stderr);
        Assert.True(await other.WaitForOutputAsync("weft worker unprefixed serving", Patience), other.Stdout + other.Stderr);

        var run = await WeftProcess.RunAsync(files.Directory, "run", file, "--server", url, "--json");
        var staged = await WeftProcess.RunAsync(files.Directory, "workers", "--transport", nats.Url, "--transport-prefix", "staging");
        var unprefixed = await WeftProcess.RunAsync(elsewhere.Directory, "workers", "--transport", nats.Url);

        var everything = $"{run}\nserver:\n{server.Stdout}{server.Stderr}\nworker:\n{worker.Stdout}{worker.Stderr}\nother:\n{other.Stdout}{other.Stderr}";
        Assert.True(run.ExitCode == 0, everything);
        Assert.Contains("hi there", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("staged", run.Stdout, StringComparison.Ordinal); // the attempt's worker
        Assert.DoesNotContain("unprefixed", run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"over NATS {nats.Url} (prefix staging)", server.Stdout, StringComparison.Ordinal);
        Assert.Contains($"on {nats.Url} (prefix staging)", worker.Stdout, StringComparison.Ordinal);
        Assert.True(staged.ExitCode == 0, staged.ToString());
        Assert.Contains("staged", staged.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("unprefixed", staged.Stdout, StringComparison.Ordinal);
        Assert.Contains("unprefixed", unprefixed.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("staged", unprefixed.Stdout, StringComparison.Ordinal);
        var streams = await nats.StreamNamesAsync();
        Assert.Contains("WEFT_staging_TASKS", streams);
        Assert.Contains("KV_weft-staging-workers", streams);
        Assert.Contains("WEFT_TASKS", streams); // the unprefixed worker's, beside them
    }

    [Theory]
    [InlineData("worker --transport nats://127.0.0.1:4222 --transport-prefix a.b", "--transport-prefix: 'a.b' is not a NATS name prefix: use at most 32 letters, digits, '-' and '_'")]
    [InlineData("server --store sqlite:x.db --transport nats://127.0.0.1:4222 --transport-prefix x*", "--transport-prefix: 'x*' is not a NATS name prefix")]
    [InlineData("workers --transport nats://127.0.0.1:4222 --transport-prefix tasks", "--transport-prefix: 'tasks' is not a NATS name prefix")]
    [InlineData("worker --name w --transport-prefix staging", "--transport-prefix: a name prefix for a NATS transport, but no transport is given")]
    [InlineData("bench W1 --store sqlite:bench.db --transport-prefix staging", "--transport-prefix: a name prefix for a NATS transport, but no --transport is given")]
    public async Task A_prefix_that_cannot_work_is_exit_code_2_naming_the_option_and_the_value(string args, string message)
    {
        using var files = new WorkflowFiles();

        using var weft = WeftProcess.StartWith(files.Directory, new Dictionary<string, string?> { ["WEFT_TRANSPORT_PREFIX"] = null }, args.Split(' '));
        var exit = await weft.WaitForExitAsync();

        Assert.True(exit == 2, $"exit {exit}\n{weft.Stdout}\n{weft.Stderr}");
        Assert.Contains(message, weft.Stderr, StringComparison.Ordinal);
        Assert.Single(weft.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", weft.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "bad.env", "WEFT_TRANSPORT_PREFIX: 'bad.env' is not a NATS name prefix")]
    [InlineData("bad.flag", "bad.env", "--transport-prefix: 'bad.flag' is not a NATS name prefix")]
    [InlineData(null, null, "weft.yaml: transport.prefix: 'bad.yaml' is not a NATS name prefix")]
    public async Task The_flag_comes_before_WEFT_TRANSPORT_PREFIX_which_comes_before_weft_yaml(string? flag, string? variable, string message)
    {
        using var files = new WorkflowFiles();
        files.Write("weft.yaml", "transport:\n  kind: nats\n  url: nats://127.0.0.1:4222\n  prefix: bad.yaml\n");
        string[] args = flag is null ? ["worker", "--name", "w"] : ["worker", "--name", "w", "--transport-prefix", flag];

        using var weft = WeftProcess.StartWith(files.Directory, new Dictionary<string, string?> { ["WEFT_TRANSPORT_PREFIX"] = variable }, args);
        var exit = await weft.WaitForExitAsync();

        Assert.True(exit == 2, $"exit {exit}\n{weft.Stdout}\n{weft.Stderr}");
        Assert.Contains(message, weft.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_prefix_in_weft_yaml_without_a_nats_transport_is_a_configuration_error()
    {
        using var files = new WorkflowFiles();
        files.Write("weft.yaml", "transport:\n  prefix: staging\n");

        var result = await WeftProcess.RunAsync(files.Directory, "config", "validate");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("weft.yaml:2:11: transport.prefix", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.Contains("only read when transport.kind is nats", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
