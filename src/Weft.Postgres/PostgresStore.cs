using Npgsql;
using Weft.Cluster;
using Weft.Storage;

namespace Weft.Postgres;

/// <summary>The cluster store (DESIGN.md "Modes"): runs, tasks, attempts and the result cache as in the
/// SQLite store, plus the task queue, workers, leadership and signals that let several processes share
/// the work. Every call takes a pooled connection for one round trip where it can: each
/// <see cref="WriteAsync"/> batch is one <see cref="NpgsqlBatch"/> running in one implicit transaction.
/// While PostgreSQL is down calls fail with <see cref="WeftStoreException"/>; the pool reconnects when
/// it is back, so the same instance keeps working.</summary>
public sealed partial class PostgresStore : IClusterStore
{
    private readonly NpgsqlDataSource _data;
    private readonly NpgsqlDataSource _dedicated;
    private readonly BlobCodec _codec;
    private readonly DefinitionCache _definitions = new();
    private readonly Channels _channels;
    private readonly SignalListener _listener;
    private long _commits;
    private long _statements;
    private volatile bool _disposed;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Leadership, byte> _leaderships = new();

    private PostgresStore(PostgresConnection connection, BlobCodec codec)
    {
        Connection = connection;
        _codec = codec;
        _data = DataSource(connection, pooling: true);
        _dedicated = DataSource(connection, pooling: false);
        _channels = new Channels(connection.Schema);
        _listener = new SignalListener(this);
    }

    /// <inheritdoc />
    public bool IsDurable => true;

    /// <summary>Where this store is (server, database, schema; no password).</summary>
    public PostgresConnection Connection { get; }

    /// <summary>Write transactions committed by this instance (the benchmark reports commits per task).</summary>
    internal long Commits => Interlocked.Read(ref _commits);

    /// <summary>Statements sent by this instance: writes, reads, claims, heartbeats, LISTEN and leadership checks.</summary>
    internal long Statements => Interlocked.Read(ref _statements);

    private string Where => Connection.ToString();

    /// <summary>Opens the store: creates the schema and its tables when missing and applies pending
    /// migrations (refusing a schema written by a newer weft, unmodified).</summary>
    public static async ValueTask<PostgresStore> OpenAsync(PostgresStoreOptions options, CancellationToken cancellationToken = default)
    {
        var connection = Check(options);
        var key = options.EncryptionKey is { } k ? (byte[])k.Clone() : null;
        var store = new PostgresStore(connection, new BlobCodec(options.CompressionThreshold, key));
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;

        // Closing the store ends its leadership too, as a process exiting would.
        foreach (var leadership in _leaderships.Keys)
        {
            await leadership.DisposeAsync().ConfigureAwait(false);
        }

        await _listener.DisposeAsync().ConfigureAwait(false);
        await _data.DisposeAsync().ConfigureAwait(false);
        await _dedicated.DisposeAsync().ConfigureAwait(false);
    }

    internal static PostgresConnection Check(PostgresStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (connection, errors) = options.Validate();
        return errors.Count > 0 || connection is null ? throw new WeftConfigurationException(errors) : connection;
    }

    private static NpgsqlDataSource DataSource(PostgresConnection connection, bool pooling)
    {
        var builder = new NpgsqlConnectionStringBuilder(connection.ConnectionString)
        {
            // Unqualified names resolve to the store's schema only (never public).
            SearchPath = connection.Schema,
            Pooling = pooling,
        };
        if (pooling)
        {
            // The store never leaves session state on a pooled connection (LISTEN and session locks
            // live on dedicated ones), so returning one needs no DISCARD ALL, and the hot statements
            // (claim, complete, heartbeat, the unnest upserts) stay prepared across uses.
            builder.NoResetOnClose = true;
            if (builder.MaxAutoPrepare == 0)
            {
                builder.MaxAutoPrepare = 64;
            }
        }
        if (builder.Options is not { } given || !given.Contains("jit", StringComparison.OrdinalIgnoreCase))
        {
            // Every statement here is short. The server's JIT compiles any whose estimated cost passes
            // jit_above_cost, and a queue whose statistics are off often does: the lost-task check took
            // 150 ms of compiling for 5 ms of work, once every two seconds (measured on W1: 3.6 of its
            // 4.0 s). A connection string that sets jit itself keeps its own choice.
            builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? "-c jit=off" : builder.Options + " -c jit=off";
        }

        if (!pooling && builder.KeepAlive == 0)
        {
            // Dedicated connections (LISTEN, leadership) sit idle for long: a keepalive finds a dead
            // network path within a minute instead of never.
            builder.KeepAlive = 30;
        }

        // The store's columns are all built-in types: loading the server's type catalog on each data
        // source's first connection (twice per process) only delays a worker's first claim.
        var source = new NpgsqlDataSourceBuilder(builder.ConnectionString);
        source.ConfigureTypeLoading(types => types.EnableTypeLoading(false));
        return source.Build();
    }

    internal void CountStatements(int n) => Interlocked.Add(ref _statements, n);

    internal void CountCommit() => Interlocked.Increment(ref _commits);

    /// <summary>Opens a connection that is not shared with the pool (LISTEN, leadership).</summary>
    internal ValueTask<NpgsqlConnection> OpenDedicatedAsync(CancellationToken cancellationToken) =>
        _dedicated.OpenConnectionAsync(cancellationToken);

    /// <summary>Runs <paramref name="work"/> on a pooled connection with failures reported as
    /// <see cref="WeftStoreException"/>. On connection loss the pool is cleared (its other connections
    /// are as dead) and, when <paramref name="idempotent"/>, the work is tried once more on a fresh one.</summary>
    private async ValueTask<T> RunAsync<T>(string doing, Func<NpgsqlConnection, CancellationToken, Task<T>> work,
        CancellationToken cancellationToken, bool idempotent = true)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var connection = await _data.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                return await work(connection, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (StoreError.IsConnectionLoss(e) && !cancellationToken.IsCancellationRequested)
            {
                _data.Clear();
                if (!idempotent || attempt > 0)
                {
                    throw StoreError.From(e, Where, doing);
                }
            }
            catch (NpgsqlException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw StoreError.From(e, Where, doing);
            }
        }
    }

    private async ValueTask RunAsync(string doing, Func<NpgsqlConnection, CancellationToken, Task> work,
        CancellationToken cancellationToken, bool idempotent = true) =>
        await RunAsync<bool>(doing, async (c, ct) =>
        {
            await work(c, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken, idempotent).ConfigureAwait(false);

    /// <summary>A command on <paramref name="connection"/>, counted as one statement when run.</summary>
    private NpgsqlCommand Command(NpgsqlConnection connection, string sql)
    {
        CountStatements(1);
        return new NpgsqlCommand(sql, connection);
    }

    /// <summary>Runs <paramref name="batch"/>, counted as one statement per command.</summary>
    private async Task<int> ExecuteAsync(NpgsqlBatch batch, CancellationToken cancellationToken)
    {
        CountStatements(batch.BatchCommands.Count);
        return await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    internal void Forget(Leadership leadership) => _leaderships.TryRemove(leadership, out _);
}
