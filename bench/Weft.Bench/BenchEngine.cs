using Weft.Sqlite;
using Weft.Storage;

namespace Weft.Bench;

/// <summary>An engine over the store a benchmark names (<c>memory</c> or <c>sqlite:PATH</c>), with
/// the store's commit and statement counters so results can say what durability cost per task.</summary>
internal sealed class BenchEngine : IAsyncDisposable
{
    private readonly IWeftStore _store;

    private BenchEngine(IWeftStore store, WeftEngine engine)
    {
        _store = store;
        Engine = engine;
    }

    public WeftEngine Engine { get; }

    public bool IsSql => _store is SqliteStore;

    public static async Task<BenchEngine> CreateAsync(string store, int workers, CancellationToken ct)
    {
        IWeftStore opened = store == "memory"
            ? new MemoryStore()
            : await SqliteStore.OpenAsync(new SqliteStoreOptions { Path = store["sqlite:".Length..] }, ct);
        var engine = WeftEngine.Create(o =>
        {
            o.Workers = workers;
            o.Store = opened;
        });
        return new BenchEngine(opened, engine);
    }

    public StoreCounts Counts() => _store is SqliteStore sqlite ? new StoreCounts(sqlite.Commits, sqlite.Statements) : default;

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await _store.DisposeAsync();
    }
}

internal readonly record struct StoreCounts(long Commits, long Statements)
{
    public static StoreCounts operator -(StoreCounts a, StoreCounts b) => new(a.Commits - b.Commits, a.Statements - b.Statements);
}
