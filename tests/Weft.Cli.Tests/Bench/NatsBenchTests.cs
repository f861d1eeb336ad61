using System.Diagnostics;
using System.Text.Json;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Net;
using Weft.Nats.Tests;
using Weft.Tests.Cluster;
using Weft.Tests.EndToEnd;

namespace Weft.Tests.Bench;

/// <summary><c>weft bench --store sqlite:… --transport nats://…</c> as a user runs it: the real weft binary,
/// its two worker processes and a real nats-server (a test fails, not skips, without one).</summary>
[Trait("Category", "EndToEnd")]
[Collection(ClusterCollection.Name)]
public sealed class NatsBenchTests
{
    // W1 with its warm-up is 80,000 tasks through four processes: minutes on a loaded 2-core machine.
    private static readonly TimeSpan BenchLimit = TimeSpan.FromMinutes(6);

    // The bench reads only its command line; a developer's own transport must not reach it or its workers.
    private static readonly Dictionary<string, string?> NoTransportEnvironment = new()
    {
        ["WEFT_TRANSPORT"] = null,
        ["WEFT_TRANSPORT_CREDS"] = null,
        ["WEFT_TRANSPORT_NKEY"] = null,
        ["WEFT_TRANSPORT_PREFIX"] = null,
    };

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task W1_on_nats_beside_a_live_clusters_streams_reports_both_workers_first_claims_and_commits_per_task_and_leaves_only_the_clusters_streams(string storeKind)
    {
        await using var nats = await NatsServer.StartAsync();
        await LiveClusterAsync(nats.Url, "WEFT_TASKS", "weft.tasks");
        using var files = new WorkflowFiles();
        var store = storeKind == "sqlite" ? "sqlite:bench.db" : await Weft.Testing.TestPostgres.ConnectionStringAsync(); // the bench makes its own schema and drops it

        var (exit, stdout, stderr) = await BenchAsync(files.Directory, "W1", "--runs", "1", "--store", store, "--transport", nats.Url, "--json");

        var transcript = $"stdout:\n{stdout}\nstderr:\n{stderr}\nnats-server:\n{nats.Log}";
        Assert.True(exit == 0, transcript);
        var results = JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("workload").GetString()!);
        var start = results["START"];
        Assert.Equal("nats", start.GetProperty("transport").GetString());
        Assert.Equal(storeKind, start.GetProperty("store").GetString());
        var firstClaims = start.GetProperty("firstClaimMs").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(2, firstClaims.Length);
        Assert.All(firstClaims, ms => Assert.InRange(ms, 1, 60_000));

        var w1 = results["W1"];
        Assert.Equal("nats", w1.GetProperty("transport").GetString());
        Assert.Equal(20_000, w1.GetProperty("tasks").GetInt32());
        Assert.True(w1.GetProperty("rate").GetDouble() > 0, transcript);
        // The scheduler's store records every task: fewer commits than tasks (batched), never none.
        Assert.InRange(w1.GetProperty("commitsPerTask").GetDouble(), 0.0001, 5);
        Assert.True(w1.GetProperty("statementsPerTask").GetDouble() > 0, transcript);
        Assert.Equal(storeKind == "postgres", w1.TryGetProperty("writeCommitsPerTask", out _)); // PostgreSQL's second figure; on SQLite the commits are the store's own

        // The bench ran under a prefix of its own: the live cluster's task is where it was, and the bench's streams are gone.
        Assert.Equal(["WEFT_TASKS"], await nats.StreamNamesAsync());
        Assert.Equal(1L, await MessagesAsync(nats.Url, "WEFT_TASKS"));
    }

    [Fact]
    public async Task A_transport_prefix_under_which_the_server_already_holds_streams_is_refused_and_left_as_it_was()
    {
        await using var nats = await NatsServer.StartAsync();
        await LiveClusterAsync(nats.Url, "WEFT_staging_TASKS", "weft.staging.tasks");
        using var files = new WorkflowFiles();

        var (exit, stdout, stderr) = await BenchAsync(files.Directory, "W1", "--runs", "1", "--store", "sqlite:bench.db", "--transport", nats.Url, "--transport-prefix", "staging");

        Assert.True(exit == 2, $"exit {exit}\nstdout:\n{stdout}\nstderr:\n{stderr}");
        Assert.Contains("--transport-prefix: ", stderr, StringComparison.Ordinal);
        Assert.Contains("under the prefix 'staging' (WEFT_staging_TASKS)", stderr, StringComparison.Ordinal);
        Assert.Equal(["WEFT_staging_TASKS"], await nats.StreamNamesAsync());
        Assert.Equal(1L, await MessagesAsync(nats.Url, "WEFT_staging_TASKS"));
    }

    [Theory]
    [InlineData("--store memory", "--transport nats://127.0.0.1:4222 needs a store that keeps runs (--store sqlite:PATH or postgres://…), not memory")]
    [InlineData("", "not memory")] // memory is the bench's default store
    [InlineData("--store sqlite:bench.db --transport http://127.0.0.1:4222", "--transport: 'http://127.0.0.1:4222' is not a NATS server URL")]
    public async Task A_transport_with_a_store_that_cannot_carry_it_or_a_bad_url_is_an_input_error(string arguments, string expected)
    {
        using var files = new WorkflowFiles();
        string[] args = ["bench", "W1", "--runs", "1", .. arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        if (!arguments.Contains("--transport", StringComparison.Ordinal))
        {
            args = [.. args, "--transport", "nats://127.0.0.1:4222"];
        }

        var result = await WeftProcess.RunAsync(files.Directory, args);

        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(files.Directory, "bench.db")), "nothing is recorded for an input error");
    }

    [Fact]
    public async Task The_transports_password_is_never_printed()
    {
        using var files = new WorkflowFiles();

        var result = await WeftProcess.RunAsync(files.Directory, "bench", "W1", "--transport", "nats://bench:hunter2@127.0.0.1:4222");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nats://127.0.0.1:4222", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transport_credentials_without_a_transport_are_an_input_error()
    {
        using var files = new WorkflowFiles();

        var result = await WeftProcess.RunAsync(files.Directory, "bench", "W1", "--store", "sqlite:bench.db", "--transport-creds", "user.creds");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--transport-creds: credentials for a NATS transport, but no --transport is given", result.Stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> BenchAsync(string directory, params string[] args)
    {
        using var bench = WeftProcess.StartWith(directory, NoTransportEnvironment, ["bench", .. args]);
        var clock = Stopwatch.StartNew();
        while (!bench.HasExited)
        {
            Assert.True(clock.Elapsed < BenchLimit, $"weft bench did not end within {BenchLimit.TotalMinutes} min\nstdout:\n{bench.Stdout}\nstderr:\n{bench.Stderr}");
            await Task.Delay(100);
        }

        var exit = await bench.WaitForExitAsync();
        return (exit, bench.Stdout, bench.Stderr);
    }

    // A cluster's task stream holding one task, as a live cluster's would.
    private static async Task LiveClusterAsync(string url, string stream, string subjects)
    {
        await using var connection = new NatsConnection(new NatsOpts { Url = url });
        var js = connection.CreateJetStreamContext();
        await js.CreateStreamAsync(new StreamConfig(stream, [subjects + ".*"]) { Retention = StreamConfigRetention.Workqueue });
        await js.PublishAsync(subjects + ".default", "a task of the real cluster"u8.ToArray());
    }

    private static async Task<long> MessagesAsync(string url, string stream)
    {
        await using var connection = new NatsConnection(new NatsOpts { Url = url });
        return (await connection.CreateJetStreamContext().GetStreamAsync(stream)).Info.State.Messages;
    }
}
