using Npgsql;
using Weft.Cluster;

namespace Weft.Postgres;

/// <summary>Leadership (an advisory lock keyed by the schema) and wake-up signals (LISTEN/NOTIFY on
/// channels prefixed with the schema).</summary>
public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public async ValueTask<ILeadership?> TryLeadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        NpgsqlConnection? connection = null;
        try
        {
            connection = await OpenDedicatedAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", _channels.LeaderKey);
            CountStatements(1);
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                var leadership = new Leadership(this, connection, _channels.LeaderKey);
                connection = null;
                _leaderships.TryAdd(leadership, 0);
                return leadership;
            }

            return null;
        }
        catch (NpgsqlException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw StoreError.From(e, Where, "try to lead");
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> WaitForSignalAsync(ClusterSignal signals, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _listener.WaitAsync(signals, timeout, cancellationToken);
    }

    /// <summary>Completes once this instance's LISTEN connection is up (signals raised before are not seen).</summary>
    internal Task WhenListeningAsync(CancellationToken cancellationToken = default) => _listener.WhenListeningAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask SignalAsync(ClusterSignal signal, CancellationToken cancellationToken = default)
    {
        var channels = _channels.Of(signal).ToArray();
        if (channels.Length == 0)
        {
            return ValueTask.CompletedTask;
        }

        return RunAsync("raise " + signal, async (c, ct) =>
        {
            await using var batch = new NpgsqlBatch(c);
            foreach (var channel in channels)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(Channels.Notify(channel)));
            }

            await ExecuteAsync(batch, ct).ConfigureAwait(false);
        }, cancellationToken);
    }
}
