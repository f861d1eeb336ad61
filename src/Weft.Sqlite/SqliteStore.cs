using Microsoft.Data.Sqlite;
using Weft.Storage;

namespace Weft.Sqlite;

/// <summary>The embedded durable store (DESIGN.md "Modes"): one SQLite file in WAL mode. One writer
/// connection applies each <see cref="WriteAsync"/> batch as one fsynced transaction (group commit);
/// reads use short-lived pooled connections, so another process can list runs while this one writes.</summary>
public sealed partial class SqliteStore : IWeftStore
{
    // How long a statement waits for a lock held by another connection or process before failing.
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(5);

    private readonly string _path;
    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly WriteCommands _commands;
    private readonly BlobCodec _codec;
    private readonly DefinitionCache _definitions = new();

    // One writer: SQLite allows one write transaction at a time anyway; queueing here is cheaper
    // than spinning on SQLITE_BUSY.
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private long _commits;
    private long _statements;
    private bool _disposed;

    private SqliteStore(string path, string connectionString, SqliteConnection writer, BlobCodec codec)
    {
        _path = path;
        _connectionString = connectionString;
        _writer = writer;
        _codec = codec;
        _commands = new WriteCommands(writer);
    }

    /// <inheritdoc />
    public bool IsDurable => true;

    /// <summary>Write transactions committed by this instance (the benchmark reports commits per task).</summary>
    internal long Commits => Interlocked.Read(ref _commits);

    /// <summary>Data statements (inserts, updates, deletes) executed by this instance's writer.</summary>
    internal long Statements => Interlocked.Read(ref _statements);

    /// <summary>Opens (creating when missing) the database and applies pending migrations.</summary>
    public static ValueTask<SqliteStore> OpenAsync(SqliteStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { Count: > 0 } errors)
        {
            throw new WeftConfigurationException(errors);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var path = System.IO.Path.GetFullPath(options.Path);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();

        SqliteConnection? writer = null;
        try
        {
            if (System.IO.Path.GetDirectoryName(path) is { Length: > 0 } directory)
            {
                Directory.CreateDirectory(directory);
            }

            writer = new SqliteConnection(connectionString);
            writer.Open();
            // Busy timeout first: a migration racing another process's waits for its lock.
            Configure(writer);
            Migrate(writer, path);
            var key = options.EncryptionKey is { } k ? (byte[])k.Clone() : null;
            return new(new SqliteStore(path, connectionString, writer, new BlobCodec(options.CompressionThreshold, key)));
        }
        catch (Exception e)
        {
            writer?.Dispose();
            if (e is WeftStoreException)
            {
                throw;
            }

            throw e is SqliteException or IOException or UnauthorizedAccessException ? StoreError.From(e, path, "open") : e;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _commands.Dispose();
            _writer.Dispose();

            // Pooled readers keep the file (and its -wal) open; release them so the file can be
            // copied, deleted or checkpointed once the store is closed.
            using var probe = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(probe);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>A short-lived read connection (from the pool).</summary>
    private SqliteConnection OpenReader()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Runs one read with SQLite errors reported as <see cref="WeftStoreException"/>.</summary>
    private T Read<T>(string doing, Func<SqliteConnection, T> read)
    {
        try
        {
            using var connection = OpenReader();
            using var tx = connection.BeginTransaction(deferred: true);
            return read(connection);
        }
        catch (SqliteException e)
        {
            throw StoreError.From(e, _path, doing);
        }
    }
}
