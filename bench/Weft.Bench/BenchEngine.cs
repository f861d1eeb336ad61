using Weft.Sqlite;
using Weft.Storage;

namespace Weft.Bench;

/// <summary>An engine over the store a benchmark names (<c>memory</c>, <c>sqlite:PATH</c>, or a
/// cluster session: PostgreSQL, or SQLite with NATS), with the store's commit and statement counters so results can say
/// what durability cost per task. On a cluster the engine is the scheduler and the store is the
/// session's (kept open across workloads, with the same worker processes).</summary>
internal sealed class BenchEngine : IAsyncDisposable
{
    private readonly IWeftStore? _owned;
    private readonly ClusterBench? _cluster;
    private readonly IDisposable? _observer;

    private BenchEngine(IWeftStore? owned, ClusterBench? cluster, WeftEngine engine, Func<WeftEngine, IDisposable>? observe)
    {
        _owned = owned;
        _cluster = cluster;
        Engine = engine;
        _observer = observe?.Invoke(engine);
    }

    public WeftEngine Engine { get; }

    public bool IsSql => _owned is SqliteStore || _cluster is not null;

    public bool IsCluster => _cluster is not null;

    /// <summary>True when <see cref="StoreCounts.Commits"/> is the database's count and the stores' own
    /// write commits are a separate figure (PostgreSQL).</summary>
    public bool CountsDatabaseCommits => _cluster?.CountsDatabaseCommits == true;

    public static Task<BenchEngine> CreateAsync(string store, int workers, ClusterBench? cluster, CancellationToken ct, Func<WeftEngine, IDisposable>? observe = null) =>
        CreateAsync(store, o => o.Workers = workers, cluster, ct, observe);

    /// <summary>An in-process engine whose pool <paramref name="pool"/> sets (on a cluster, the session's scheduler).
    /// <paramref name="observe"/>, when given, is started on the engine and stopped before it (<c>weft bench --metrics</c>).</summary>
    public static async Task<BenchEngine> CreateAsync(string store, Action<WeftOptions> pool, ClusterBench? cluster, CancellationToken ct, Func<WeftEngine, IDisposable>? observe = null)
    {
        if (cluster is not null)
        {
            return new BenchEngine(null, cluster, cluster.CreateEngine(), observe);
        }

        IWeftStore opened = store == "memory"
            ? new MemoryStore()
            : await SqliteStore.OpenAsync(new SqliteStoreOptions { Path = store["sqlite:".Length..] }, ct);
        var engine = WeftEngine.Create(o =>
        {
            pool(o);
            o.Store = opened;
        });
        return new BenchEngine(opened, null, engine, observe);
    }

    public async Task<StoreCounts> CountsAsync(CancellationToken ct)
    {
        if (_cluster is not null)
        {
            var counts = await _cluster.CountsAsync(ct);
            return new StoreCounts(counts.Commits, counts.Statements, counts.WriteCommits);
        }

        return _owned is SqliteStore sqlite ? new StoreCounts(sqlite.Commits, sqlite.Statements, sqlite.Commits) : default;
    }

    public async ValueTask DisposeAsync()
    {
        _observer?.Dispose();
        await Engine.DisposeAsync();
        if (_owned is not null)
        {
            await _owned.DisposeAsync();
        }
    }
}

/// <summary>Counters of a store. <see cref="Commits"/>: transactions committed (on PostgreSQL the
/// database's count, read-only ones included); <see cref="WriteCommits"/>: write transactions the
/// stores counted themselves.</summary>
internal readonly record struct StoreCounts(long Commits, long Statements, long WriteCommits)
{
    public static StoreCounts operator -(StoreCounts a, StoreCounts b) =>
        new(a.Commits - b.Commits, a.Statements - b.Statements, a.WriteCommits - b.WriteCommits);
}
