using System.Diagnostics;
using Npgsql;
using Weft.Postgres;
using Weft.Storage;
using Weft.Tests.EndToEnd;
using Weft.Testing;

namespace Weft.Tests.Cluster;

/// <summary>One test's cluster: a schema of its own on the test PostgreSQL server, the real <c>weft</c>
/// processes started for it (servers, workers, runs), every one killed when the test ends, pass or
/// fail, and a store of the test's own to look at what the cluster recorded.</summary>
internal sealed class ClusterHarness : IAsyncDisposable
{
    /// <summary>The limit for any one condition a test waits for.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private readonly List<WeftProcess> _processes = [];

    private ClusterHarness(string schema, string store, PostgresStore inspector)
    {
        Schema = schema;
        Store = store;
        Inspector = inspector;
    }

    public string Schema { get; }

    /// <summary>The <c>--store</c> value selecting this test's schema.</summary>
    public string Store { get; }

    /// <summary>The test's own view of the store (opened first, so the schema exists before any process races to create it).</summary>
    public PostgresStore Inspector { get; }

    public WorkflowFiles Files { get; } = new();

    public static async Task<ClusterHarness> StartAsync()
    {
        var schema = TestPostgres.NewSchema();
        var store = await TestPostgres.ConnectionStringAsync(schema);
        var inspector = await PostgresStore.OpenAsync(new PostgresStoreOptions { ConnectionString = store });
        return new ClusterHarness(schema, store, inspector);
    }

    /// <summary>Starts <c>weft server --workers 0</c>: a scheduler (or standby), no local worker.</summary>
    public WeftProcess StartServer() =>
        Start("server", "--store", Store, "--workers", "0", "--urls", "http://127.0.0.1:0");

    /// <summary>Starts <c>weft worker --name NAME</c> and waits until it serves.</summary>
    public async Task<WeftProcess> StartWorkerAsync(string name, params string[] extra)
    {
        var worker = Start(["worker", "--store", Store, "--name", name, .. extra]);
        Assert.True(await worker.WaitForOutputAsync($"weft worker {name} serving", Patience), $"worker {name} did not start\n{worker.Stdout}\n{worker.Stderr}");
        return worker;
    }

    /// <summary>Starts <c>weft run FILE --store … --json</c> (submits and follows the run).</summary>
    public WeftProcess StartRun(string file) => Start("run", file, "--store", Store, "--json");

    public WeftProcess Start(params string[] args)
    {
        var process = WeftProcess.Start(Files.Directory, args);
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }

    /// <summary>The id of the one run submitted to this test's schema, once there is one.</summary>
    public Task<string> RunIdAsync() => EventuallyAsync(
        async () => (await Inspector.ListRunsAsync(new RunQuery())) is [var run] ? run.RunId : null,
        "a run submitted to the cluster");

    /// <summary>The run as recorded now.</summary>
    public async Task<RunSnapshot> RunAsync(string runId) =>
        await Inspector.GetRunAsync(runId) ?? throw new InvalidOperationException($"run {runId} is not in the store");

    /// <summary>Polls <paramref name="probe"/> until it returns a value, within <see cref="Patience"/>;
    /// a store error (the database restarting) counts as not yet.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        Exception? last = null;
        while (clock.Elapsed < Patience)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or WeftStoreException or InvalidOperationException)
            {
                last = ex;
            }

            await Task.Delay(25);
        }

        Assert.Fail($"still waiting for {what} after {Patience.TotalSeconds:0} s{(last is null ? "" : $" (last error: {last.Message})")}");
        throw new UnreachableException();
    }

    /// <summary>Counts, per task id, the lines of a log that tasks append their id to.</summary>
    public Dictionary<string, int> LogCounts(string file)
    {
        var path = Path.Combine(Files.Directory, file);
        return File.Exists(path)
            ? File.ReadAllLines(path).Where(l => l.Length > 0).GroupBy(l => l.Trim(), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal)
            : [];
    }

    /// <summary>Rows of the queue table that <paramref name="worker"/> holds (claimed, not completed).</summary>
    public async Task<long> HeldByAsync(string worker)
    {
        await using var connection = await TestPostgres.OpenRawAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM \"{Schema}\".queue q WHERE q.worker = @worker AND NOT EXISTS (SELECT 1 FROM \"{Schema}\".completions d WHERE d.id = q.id)", connection);
        command.Parameters.AddWithValue("worker", worker);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Everything the processes printed, for a failing assertion's message.</summary>
    public string Transcript()
    {
        lock (_processes)
        {
            return string.Join("\n", _processes.Select((p, i) => $"--- process {i} (pid {p.Id}) stdout:\n{p.Stdout}\n--- stderr:\n{Tail(p.Stderr)}"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        WeftProcess[] all;
        lock (_processes)
        {
            all = [.. _processes];
        }

        foreach (var process in all)
        {
            process.Dispose();
        }

        await Inspector.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await TestPostgres.DropSchemaAsync(Schema);
        Files.Dispose();
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : "…" + text[^4000..];
}
