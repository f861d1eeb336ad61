using System.Diagnostics;
using Weft.Nats;

namespace Weft.Bench;

/// <summary>One cluster session of <c>weft bench</c> (<c>--store postgres://…</c>, or <c>--transport
/// nats://…</c> with <c>--store sqlite:PATH</c>): this process is the cluster's scheduler (a
/// <see cref="WeftEngine"/> over the session's store and transport, one per workload, as <c>weft server</c>
/// runs it) and <see cref="WorkerCount"/> <c>weft worker</c> processes claim and run the tasks. What differs
/// between clusters is in two parts: the store (<see cref="IClusterBenchStore"/>: a fresh PostgreSQL schema,
/// or the SQLite file) and how tasks reach the workers (<see cref="IClusterBenchTransport"/>: the store's
/// queue, or NATS JetStream).</summary>
internal sealed class ClusterBench : IAsyncDisposable
{
    public const int WorkerCount = 2;

    /// <summary>Slots per worker: W4 needs 200 tasks sleeping at once (100 runs × 2 chains).</summary>
    public const int WorkerSlots = 128;

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private readonly IClusterBenchStore _store;
    private readonly IClusterBenchTransport _transport;
    private readonly string _directory;
    private WorkerProcesses? _workers;

    private ClusterBench(IClusterBenchStore store, IClusterBenchTransport transport, string directory)
    {
        _store = store;
        _transport = transport;
        _directory = directory;
    }

    /// <summary>As results name the store ("postgres", "sqlite") and the transport ("nats"; null for the store's queue).</summary>
    public string StoreName => _store.Name;

    public string? TransportName => _transport.Name;

    /// <summary>True when the commits counted are the database's (every transaction of every process), so
    /// the write commits the stores counted themselves are a figure of their own.</summary>
    public bool CountsDatabaseCommits { get; private set; }

    /// <summary>Per worker: from just before its process started to its first claim that returned a task.</summary>
    public IReadOnlyList<double> FirstClaimMs { get; private set; } = [];

    public static bool IsPostgres(string store) =>
        store.StartsWith("postgres", StringComparison.OrdinalIgnoreCase) || store.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    /// <summary>Opens the store and transport, then measures start-to-first-claim: a W1-sized run is queued
    /// first so that work is waiting when the workers start. <paramref name="transport"/> null: the store's
    /// own queue (PostgreSQL).</summary>
    public static async Task<ClusterBench> StartAsync(string store, NatsTransport? transport, WorkerLauncher launcher, TextWriter progress, CancellationToken ct)
    {
        var (storePart, transportPart) = await OpenAsync(store, transport, ct);
        var directory = Directory.CreateTempSubdirectory("weft-bench-").FullName;
        var bench = new ClusterBench(storePart, transportPart, directory);
        try
        {
            progress.WriteLine($"cluster: {storePart.Describe()}, tasks over {transportPart.Describe()}; {WorkerCount} worker processes × {WorkerSlots} slots");
            await bench.StartWorkersAsync(launcher, progress, ct);
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
        o.Store = _store.Store;
        o.Cluster.Schedule = o.Store is Cluster.IClusterStore; // the one scheduler of the session's cluster
        _transport.Configure(o);
    });

    /// <summary>Once the store's counters are settled: committed transactions (the database's, where it
    /// counts them), and statements and write commits counted by every process's store.</summary>
    public async Task<ClusterCounts> CountsAsync(CancellationToken ct)
    {
        _workers!.EnsureRunning();
        var seen = _workers.Children.Select(c => WorkerStats.TryRead(c.StatsPath)?.Sequence ?? 0).ToArray();
        await _store.SettleAsync(ct);
        long statements = _store.Statements, writes = _store.Commits;
        for (var i = 0; i < seen.Length; i++)
        {
            var stats = await FreshStatsAsync(_workers.Children[i], seen[i], ct);
            statements += stats.Statements;
            writes += stats.Commits;
        }

        var commits = await _store.DatabaseCommitsAsync(ct);
        CountsDatabaseCommits = commits is not null;
        return new ClusterCounts(commits ?? writes, writes, statements);
    }

    /// <summary>Workers first (they write their last statistics), then what the transport made on its
    /// server, then the store (a PostgreSQL schema is dropped).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_workers is not null)
            {
                await _workers.DisposeAsync();
            }

            await _transport.DisposeAsync();
        }
        finally
        {
            await _store.DisposeAsync();
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task<(IClusterBenchStore, IClusterBenchTransport)> OpenAsync(string store, NatsTransport? transport, CancellationToken ct)
    {
        if (transport is null)
        {
            var schema = await PostgresBenchSchema.CreateAsync(store, ct);
            return (schema, new PostgresBenchQueue(schema));
        }

        var postgres = IsPostgres(store);
        if (!postgres && (!store.StartsWith("sqlite:", StringComparison.Ordinal) || store.Length == "sqlite:".Length))
        {
            throw new BenchInputException($"--transport {transport.Describe()} needs a store that keeps runs (--store sqlite:PATH or postgres://…), not {store}");
        }

        var streams = await NatsBenchStreams.ConnectAsync(transport, ct);
        try
        {
            // On PostgreSQL the bench's scheduler leads a cluster whose tasks travel over NATS, as weft server
            // --store postgres://… --transport nats://… does.
            IClusterBenchStore opened = postgres
                ? await PostgresBenchSchema.CreateAsync(store, ct)
                : await SqliteBenchFile.OpenAsync(store["sqlite:".Length..], ct);
            return (opened, streams);
        }
        catch
        {
            await streams.DisposeAsync();
            throw;
        }
    }

    private async Task StartWorkersAsync(WorkerLauncher launcher, TextWriter progress, CancellationToken ct)
    {
        await using var engine = CreateEngine();
        var definition = Workloads.Flat(Workloads.W1Tasks, "bench-start");
        var handle = await engine.SubmitAsync(definition, cancellationToken: ct);
        await WaitForQueuedAsync(ct);

        _workers = WorkerProcesses.Start(launcher, _transport.ConfigureWorker, WorkerCount, WorkerSlots, _directory);
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
        BenchRunner.EnsureSucceeded("start-up", definition, await handle.WaitAsync(ct));

        progress.WriteLine($"cluster: start to first claim {string.Join(", ", firstClaims.Select(ms => ms.ToString("F0", System.Globalization.CultureInfo.InvariantCulture) + " ms"))}");
    }

    /// <summary>Until the transport holds the started tasks and the scheduler has stopped adding to them (the
    /// count unchanged for <see cref="Settled"/>): the workers' first claims then measure their own start, not
    /// the scheduler's publishing of the start-up run beside it on the same cores.</summary>
    private async Task WaitForQueuedAsync(CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        var unchanged = Stopwatch.StartNew();
        var last = 0L;
        while (true)
        {
            var queued = await _transport.QueuedAsync(ct);
            if (queued != last)
            {
                last = queued;
                unchanged.Restart();
            }
            else if (queued > 0 && unchanged.Elapsed >= Settled)
            {
                return;
            }

            if (deadline.Elapsed > StartLimit)
            {
                throw new TimeoutException(last == 0
                    ? $"the scheduler queued nothing within {StartLimit.TotalSeconds:0} s"
                    : $"the scheduler was still queueing tasks after {StartLimit.TotalSeconds:0} s ({last} so far)");
            }

            await Task.Delay(10, ct);
        }
    }

    private static readonly TimeSpan Settled = TimeSpan.FromMilliseconds(200);

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
