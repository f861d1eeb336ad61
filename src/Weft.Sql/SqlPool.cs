using System.Data.Common;
using Weft.Configuration;

namespace Weft.Sql;

/// <summary>The one pool of a named connection in this process, shared by every task that names it:
/// the provider's data source, and a lease limit of <see cref="ConnectionSettings.MaxConnections"/> so a
/// task waits for a connection (bounded by its own timeout) instead of failing when all are lent.</summary>
internal sealed class SqlPool(string name, SqlTarget target, ConnectionSettings settings) : IAsyncDisposable
{
    private readonly SemaphoreSlim _leases = new(settings.MaxConnections, settings.MaxConnections);
    private long _leased;
    private long _opened;
    private int _waiting;
    private DbDataSource? _source;

    public string Name { get; } = name;

    public SqlTarget Target { get; } = target;

    public SqlDialect Dialect { get; } = SqlDialect.For(target.Provider);

    private DbDataSource Source => LazyInitializer.EnsureInitialized(ref _source, () => Dialect.Create(Target, settings, () => Interlocked.Increment(ref _opened)));

    /// <summary>An open connection; dispose it to give it back. Waits while all are lent.</summary>
    public async Task<Lease> LeaseAsync(CancellationToken token)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await _leases.WaitAsync(token).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }

        try
        {
            var connection = await Source.OpenConnectionAsync(token).ConfigureAwait(false);
            Interlocked.Increment(ref _leased);
            return new Lease(connection, _leases);
        }
        catch
        {
            _leases.Release();
            throw;
        }
    }

    public Weft.ConnectionPoolStatus Status() => new(Name, Dialect.Name)
    {
        MaxConnections = settings.MaxConnections,
        InUse = settings.MaxConnections - _leases.CurrentCount,
        Waiting = Volatile.Read(ref _waiting),
        Leases = Interlocked.Read(ref _leased),
        Opened = Dialect.CountsOpens ? Interlocked.Read(ref _opened) : null,
    };

    public async ValueTask DisposeAsync()
    {
        if (_source is { } source)
        {
            await source.DisposeAsync().ConfigureAwait(false);
        }

        _leases.Dispose();
    }

    /// <summary>A connection lent to one task.</summary>
    internal sealed class Lease(DbConnection connection, SemaphoreSlim leases) : IAsyncDisposable
    {
        public DbConnection Connection { get; } = connection;

        public async ValueTask DisposeAsync()
        {
            try
            {
                await Connection.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                leases.Release();
            }
        }
    }
}
