using System.Collections.Concurrent;

namespace Weft.Sql;

/// <summary>The pools of one process, one per connection name, made on first use: a connection no task
/// names costs nothing, and a bad one fails only the tasks that name it.</summary>
internal sealed class SqlPools(SqlConnectionDirectory directory) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, SqlPool> _pools = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();
    private bool _disposed;

    public SqlConnectionDirectory Directory => directory;

    /// <summary>The pool for <paramref name="name"/>, or null with the reason.</summary>
    public SqlPool? Get(string name, out string? error)
    {
        error = null;
        if (_pools.TryGetValue(name, out var pool))
        {
            return pool;
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_pools.TryGetValue(name, out pool))
            {
                return pool;
            }

            if (directory.Find(name, out error) is not { } found)
            {
                return null;
            }

            pool = new SqlPool(name, found.Target, found.Settings);
            _pools[name] = pool;
            return pool;
        }
    }

    /// <summary>Every pool in use, and the configured connections no task used yet (all figures zero).</summary>
    public IReadOnlyList<Weft.ConnectionPoolStatus> Status()
    {
        var used = _pools.Values.Select(p => p.Status());
        var unused = directory.ConfiguredNames.Where(n => !_pools.ContainsKey(n)).Select(n => directory.Find(n, out _) is { } found
            ? new Weft.ConnectionPoolStatus(n, SqlDialect.For(found.Target.Provider).Name) { MaxConnections = found.Settings.MaxConnections, Opened = SqlDialect.For(found.Target.Provider).CountsOpens ? 0 : null }
            : null).OfType<Weft.ConnectionPoolStatus>();
        return [.. used.Concat(unused).OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase)];
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        foreach (var pool in _pools.Values)
        {
            await pool.DisposeAsync().ConfigureAwait(false);
        }

        _pools.Clear();
    }
}
