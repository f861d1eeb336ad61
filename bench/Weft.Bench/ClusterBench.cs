using System.Diagnostics;
using Npgsql;
using Weft.Postgres;

namespace Weft.Bench;

/// <summary>One <c>weft bench --store postgres://…</c> session: a fresh schema (<c>bench_&lt;random&gt;</c>,
/// dropped at the end), this process as the cluster's scheduler (a <see cref="WeftEngine"/> with
/// <c>Cluster.Schedule</c> over a <see cref="PostgresStore"/>, one per workload, as <c>weft server</c>
/// runs it) and <see cref="WorkerCount"/> <c>weft worker</c> processes that claim and run the tasks.
///
/// <para>Counting. Commits are the database's: <c>pg_stat_database.xact_commit</c> of the database,
/// which counts every committed transaction of every process (scheduler, workers, this bench's two
/// snapshot queries; read-only ones too). PostgreSQL 15 keeps a backend's counters local until it
/// flushes them, at most once a second and, for a backend gone idle, within 10 s
/// (PGSTAT_IDLE_INTERVAL); <c>pg_stat_force_next_flush()</c> only flushes the calling backend. So a
/// snapshot waits <see cref="Settle"/> first, and the idle work meanwhile (polls, heartbeats) is
/// counted too. Statements are the stores' own counts: this process's PostgresStore plus each
/// worker's, which it keeps in its <c>--stats-file</c>.</para></summary>
internal sealed class ClusterBench : IAsyncDisposable
{
    public const int WorkerCount = 2;

    /// <summary>Slots per worker: W4 needs 200 tasks sleeping at once (100 runs × 2 chains).</summary>
    public const int WorkerSlots = 128;

    /// <summary>Longer than PostgreSQL's PGSTAT_IDLE_INTERVAL (10 s).</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(11);

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private readonly PostgresConnection _connection;
    private readonly string _directory;
    private WorkerProcesses? _workers;

    private ClusterBench(PostgresConnection connection, PostgresStore store, string directory)
    {
        _connection = connection;
        Store = store;
        _directory = directory;
    }

    public PostgresStore Store { get; }

    public string Schema => _connection.Schema;

    /// <summary>Per worker: from just before its process started to its first claim that returned a task.</summary>
    public IReadOnlyList<double> FirstClaimMs { get; private set; } = [];

    public static bool IsPostgres(string store) =>
        store.StartsWith("postgres", StringComparison.OrdinalIgnoreCase) || store.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    /// <summary>Opens the schema, then measures start-to-first-claim: a W1-sized run is queued first so
    /// that work is waiting when the workers start.</summary>
    public static async Task<ClusterBench> StartAsync(string store, WorkerLauncher launcher, TextWriter progress, CancellationToken ct)
    {
        if (!PostgresConnection.TryParse(store, out var parsed, out var error))
        {
            throw new ArgumentException($"--store: {error}", nameof(store));
        }

        var connection = parsed with { Schema = "bench_" + Guid.NewGuid().ToString("N")[..12] };
        var opened = await PostgresStore.OpenAsync(new PostgresStoreOptions { ConnectionString = store, Schema = connection.Schema }, ct);
        var directory = Directory.CreateTempSubdirectory("weft-bench-").FullName;
        var bench = new ClusterBench(connection, opened, directory);
        try
        {
            progress.WriteLine($"cluster: schema {connection.Schema} on {connection.Description}; {WorkerCount} worker processes × {WorkerSlots} slots");
            // The keyword form with the bench's schema, whichever form the user gave.
            await bench.StartWorkersAsync($"{connection.ConnectionString};Schema={connection.Schema}", launcher, progress, ct);
            return bench;
        }
        catch
        {
            await bench.DisposeAsync();
            throw;
        }
    }

    /// <summary>A scheduling engine over the session's store (its slots run nothing; workers do).</summary>
    public WeftEngine CreateEngine() => WeftEngine.Create(o =>
    {
        o.Workers = 1;
        o.Store = Store;
        o.Cluster.Schedule = true;
    });

    /// <summary>After <see cref="Settle"/>: the database's committed transactions, and statements and write
    /// commits counted by every process's store.</summary>
    public async Task<ClusterCounts> CountsAsync(CancellationToken ct)
    {
        _workers!.EnsureRunning();
        var seen = _workers.Children.Select(c => WorkerStats.TryRead(c.StatsPath)?.Sequence ?? 0).ToArray();
        await Task.Delay(Settle, ct);
        long statements = Store.Statements, writes = Store.Commits;
        for (var i = 0; i < seen.Length; i++)
        {
            var stats = await FreshStatsAsync(_workers.Children[i], seen[i], ct);
            statements += stats.Statements;
            writes += stats.Commits;
        }

        await using var db = new NpgsqlConnection(_connection.ConnectionString);
        await db.OpenAsync(ct);
        await using (var flush = new NpgsqlCommand("SELECT pg_stat_force_next_flush()", db))
        {
            await flush.ExecuteNonQueryAsync(ct);
        }

        await using var read = new NpgsqlCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", db);
        var commits = (long)(await read.ExecuteScalarAsync(ct))!;
        return new ClusterCounts(commits, writes, statements);
    }

    public async ValueTask DisposeAsync()
    {
        if (_workers is not null)
        {
            await _workers.DisposeAsync();
        }

        await Store.DisposeAsync();
        try
        {
            await using var db = new NpgsqlConnection(_connection.ConnectionString);
            await db.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE", db);
            await drop.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // Best effort: a leftover bench_ schema holds nothing anyone needs.
        }

        Directory.Delete(_directory, recursive: true);
    }

    private async Task StartWorkersAsync(string store, WorkerLauncher launcher, TextWriter progress, CancellationToken ct)
    {
        await using var engine = CreateEngine();
        var definition = Workloads.Flat(Workloads.W1Tasks, "bench-start");
        var handle = await engine.SubmitAsync(definition, cancellationToken: ct);
        await WaitForQueuedAsync(ct);

        _workers = WorkerProcesses.Start(launcher, store, WorkerCount, WorkerSlots, _directory);
        var firstClaims = new double[WorkerCount];
        for (var i = 0; i < WorkerCount; i++)
        {
            var child = _workers.Children[i];
            var deadline = Stopwatch.StartNew();
            DateTimeOffset? first;
            while ((first = WorkerStats.TryRead(child.StatsPath)?.FirstClaimUtc) is null)
            {
                _workers.EnsureRunning();
                if (deadline.Elapsed > StartLimit)
                {
                    throw new TimeoutException($"{child.Name} claimed nothing within {StartLimit.TotalSeconds:0} s: {child.LastOutput()}");
                }

                await Task.Delay(20, ct);
            }

            firstClaims[i] = (first.Value - child.LaunchedUtc).TotalMilliseconds;
        }

        FirstClaimMs = firstClaims;
        var snapshot = await handle.WaitAsync(ct);
        if (snapshot.State != RunState.Succeeded)
        {
            throw new InvalidOperationException($"start-up run {snapshot.RunId} ended {snapshot.State.ToName()}, expected succeeded");
        }

        progress.WriteLine($"cluster: start to first claim {string.Join(", ", firstClaims.Select(ms => ms.ToString("F0", System.Globalization.CultureInfo.InvariantCulture) + " ms"))}");
    }

    private async Task WaitForQueuedAsync(CancellationToken ct)
    {
        await using var db = new NpgsqlConnection(_connection.ConnectionString);
        await db.OpenAsync(ct);
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM \"{Schema}\".queue", db);
        var deadline = Stopwatch.StartNew();
        while ((long)(await count.ExecuteScalarAsync(ct))! == 0)
        {
            if (deadline.Elapsed > StartLimit)
            {
                throw new TimeoutException($"the scheduler queued nothing within {StartLimit.TotalSeconds:0} s");
            }

            await Task.Delay(10, ct);
        }
    }

    private async Task<WorkerStats> FreshStatsAsync(WorkerProcesses.Child child, long after, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (WorkerStats.TryRead(child.StatsPath) is { } stats && stats.Sequence > after)
            {
                return stats;
            }

            _workers!.EnsureRunning();
            if (deadline.Elapsed > StartLimit)
            {
                throw new TimeoutException($"{child.Name} wrote no statistics within {StartLimit.TotalSeconds:0} s");
            }

            await Task.Delay(20, ct);
        }
    }
}

/// <summary>Counters across the whole cluster at one moment (see <see cref="ClusterBench"/>).</summary>
internal readonly record struct ClusterCounts(long Commits, long WriteCommits, long Statements)
{
    public static ClusterCounts operator -(ClusterCounts a, ClusterCounts b) =>
        new(a.Commits - b.Commits, a.WriteCommits - b.WriteCommits, a.Statements - b.Statements);
}
