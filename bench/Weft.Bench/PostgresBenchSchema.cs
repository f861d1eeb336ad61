using Npgsql;
using Weft.Postgres;
using Weft.Storage;

namespace Weft.Bench;

/// <summary>A cluster benchmark's PostgreSQL store: a fresh schema (<c>bench_&lt;random&gt;</c>), dropped at the end.
///
/// <para>Counting. Commits are the database's: <c>pg_stat_database.xact_commit</c> of the database,
/// which counts every committed transaction of every process (scheduler, workers, this bench's two
/// snapshot queries; read-only ones too). PostgreSQL 15 keeps a backend's counters local until it
/// flushes them, at most once a second and, for a backend gone idle, within 10 s
/// (PGSTAT_IDLE_INTERVAL); <c>pg_stat_force_next_flush()</c> only flushes the calling backend. So a
/// snapshot waits <see cref="Settle"/> first, and the idle work meanwhile (polls, heartbeats) is
/// counted too. Statements are the stores' own counts: this process's PostgresStore plus each
/// worker's, which it keeps in its <c>--stats-file</c>.</para></summary>
internal sealed class PostgresBenchSchema : IClusterBenchStore
{
    /// <summary>Longer than PostgreSQL's PGSTAT_IDLE_INTERVAL (10 s).</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(11);

    private readonly PostgresConnection _connection;
    private readonly PostgresStore _store;

    private PostgresBenchSchema(PostgresConnection connection, PostgresStore store)
    {
        _connection = connection;
        _store = store;
    }

    public string Name => "postgres";

    public IWeftStore Store => _store;

    public long Statements => _store.Statements;

    public long Commits => _store.Commits;

    public string Schema => _connection.Schema;

    /// <summary>For the database's own queries (no schema in it).</summary>
    public string ConnectionString => _connection.ConnectionString;

    /// <summary>What a worker opens: the keyword form with the bench's schema, whichever form the user gave.</summary>
    public string WorkerStore => $"{_connection.ConnectionString};Schema={_connection.Schema}";

    public static async Task<PostgresBenchSchema> CreateAsync(string store, CancellationToken ct)
    {
        if (!PostgresConnection.TryParse(store, out var parsed, out var error))
        {
            throw new ArgumentException($"--store: {error}", nameof(store));
        }

        var connection = parsed with { Schema = "bench_" + Guid.NewGuid().ToString("N")[..12] };
        var opened = await PostgresStore.OpenAsync(new PostgresStoreOptions { ConnectionString = store, Schema = connection.Schema }, ct);
        return new PostgresBenchSchema(connection, opened);
    }

    public string Describe() => $"schema {Schema} on {_connection.Description}";

    public Task SettleAsync(CancellationToken ct) => Task.Delay(Settle, ct);

    public async Task<long?> DatabaseCommitsAsync(CancellationToken ct)
    {
        await using var db = new NpgsqlConnection(_connection.ConnectionString);
        await db.OpenAsync(ct);
        await using (var flush = new NpgsqlCommand("SELECT pg_stat_force_next_flush()", db))
        {
            await flush.ExecuteNonQueryAsync(ct);
        }

        await using var read = new NpgsqlCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", db);
        return (long)(await read.ExecuteScalarAsync(ct))!;
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
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
    }
}
