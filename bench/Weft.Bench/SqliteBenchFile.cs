using Weft.Sqlite;
using Weft.Storage;

namespace Weft.Bench;

/// <summary>A cluster benchmark's SQLite store (<c>--store sqlite:PATH</c> with a transport): the scheduler's
/// file, the only store of the session (workers on NATS have none), so its own counts are the figures.</summary>
internal sealed class SqliteBenchFile : IClusterBenchStore
{
    private readonly SqliteStore _store;
    private readonly string _path;

    private SqliteBenchFile(SqliteStore store, string path)
    {
        _store = store;
        _path = path;
    }

    public string Name => "sqlite";

    public IWeftStore Store => _store;

    public long Statements => _store.Statements;

    public long Commits => _store.Commits;

    public static async Task<SqliteBenchFile> OpenAsync(string path, CancellationToken ct) =>
        new(await SqliteStore.OpenAsync(new SqliteStoreOptions { Path = path }, ct), path);

    public string Describe() => "sqlite:" + _path;

    public Task SettleAsync(CancellationToken ct) => Task.CompletedTask;

    public Task<long?> DatabaseCommitsAsync(CancellationToken ct) => Task.FromResult<long?>(null);

    public ValueTask DisposeAsync() => _store.DisposeAsync();
}
