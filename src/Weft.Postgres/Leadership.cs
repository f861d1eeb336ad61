using Npgsql;
using Weft.Cluster;

namespace Weft.Postgres;

/// <summary>Leadership held as a session advisory lock on a connection of its own. The connection is
/// checked every second with <c>SELECT 1</c>; when it breaks the server has dropped the lock, so
/// <see cref="Lost"/> fires at once. Dispose unlocks and closes.</summary>
internal sealed class Leadership : ILeadership
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);

    private readonly PostgresStore _store;
    private readonly NpgsqlConnection _connection;
    private readonly long _key;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watch;
    private int _disposed;

    public Leadership(PostgresStore store, NpgsqlConnection connection, long key)
    {
        _store = store;
        _connection = connection;
        _key = key;
        _watch = Task.Run(WatchAsync);
    }

    public CancellationToken Lost => _lost.Token;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _store.Forget(this);
        await _stop.CancelAsync().ConfigureAwait(false);
        await _watch.ConfigureAwait(false);
        if (!_lost.IsCancellationRequested)
        {
            try
            {
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", _connection);
                unlock.Parameters.AddWithValue("key", _key);
                _store.CountStatements(1);
                await unlock.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // Closing the connection below releases the lock anyway.
            }
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task WatchAsync()
    {
        using var timer = new PeriodicTimer(CheckEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                await using var check = new NpgsqlCommand("SELECT 1", _connection);
                _store.CountStatements(1);
                await check.ExecuteNonQueryAsync(_stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception)
        {
            // Any failure of the lock's connection means the lock may be gone: stop leading.
            await _lost.CancelAsync().ConfigureAwait(false);
        }
    }
}
