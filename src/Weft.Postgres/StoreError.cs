using System.Net.Sockets;
using Npgsql;
using Weft.Storage;

namespace Weft.Postgres;

/// <summary>Turns an Npgsql failure into a <see cref="WeftStoreException"/> that names the server and
/// schema and says what is likely wrong, and tells connection loss (retry later) from other errors.</summary>
internal static class StoreError
{
    /// <summary>Npgsql's timeout waiting for a pooled connection to come free: the server and the pool's
    /// connections are fine, there are too few of them for the load (transient, but not a lost connection).</summary>
    public static bool IsPoolExhausted(Exception e) =>
        e is NpgsqlException { InnerException: TimeoutException } n && n.Message.Contains("pool", StringComparison.OrdinalIgnoreCase);

    /// <summary>The connection broke or could not be made: the server is down, restarting or unreachable.
    /// Pooled connections may all be dead then, so the caller clears the pool. A pool-exhausted timeout is
    /// not one: clearing the pool for it would drop every connection exactly when connections are scarce.</summary>
    public static bool IsConnectionLoss(Exception e) => !IsPoolExhausted(e) && e switch
    {
        PostgresException p => p.SqlState is "57P01" or "57P02" or "57P03" || p.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException n => n.IsTransient || n.InnerException is SocketException or IOException or TimeoutException,
        _ => false,
    };

    public static WeftStoreException From(Exception e, string where, string doing)
    {
        var why = e switch
        {
            PostgresException { SqlState: "57P01" or "57P02" or "57P03" } =>
                "the server is shutting down or restarting; try again once it is back",
            PostgresException { SqlState: "28P01" or "28000" } p => $"authentication failed ({p.MessageText}); check the user and password",
            PostgresException { SqlState: "3D000" } p => $"{p.MessageText}; create the database first",
            PostgresException { SqlState: "42501" } p => $"permission denied ({p.MessageText})",
            PostgresException p => $"{p.MessageText} (SQLSTATE {p.SqlState})",
            NpgsqlException { InnerException: SocketException s } => $"cannot reach the server ({s.Message}); is PostgreSQL running?",
            // Npgsql says the same TimeoutException when no pooled connection came free in time (a burst of
            // submits on a busy server): its own message says which setting to raise, so it is kept.
            NpgsqlException n when IsPoolExhausted(n) => $"no connection of the pool came free in time ({n.Message})",
            NpgsqlException { InnerException: TimeoutException } => "the server did not answer in time",
            _ when IsConnectionLoss(e) => $"the connection was lost ({e.Message})",
            _ => e.Message,
        };
        return new WeftStoreException($"the PostgreSQL store at {where} failed to {doing}: {why}", e) { IsTransient = IsConnectionLoss(e) || IsPoolExhausted(e) };
    }
}
