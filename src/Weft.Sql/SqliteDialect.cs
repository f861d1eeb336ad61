using System.Data.Common;
using Microsoft.Data.Sqlite;
using Weft.Configuration;

namespace Weft.Sql;

/// <summary>A SQLite file through Microsoft.Data.Sqlite, whose own pool keeps connections open between
/// tasks (it does not say when it opens one, and has no size or idle setting: the lease limit of
/// <see cref="SqlPool"/> bounds how many are in use). Cancellation interrupts the statement between rows.</summary>
internal sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    public override string Name => "sqlite";

    public override bool CountsOpens => false;

    public override DbDataSource Create(SqlTarget target, ConnectionSettings settings, Action opened) =>
        SqliteFactory.Instance.CreateDataSource(new SqliteConnectionStringBuilder(target.ConnectionString) { Pooling = true }.ConnectionString);

    // A file that cannot be opened (missing directory, not a database, locked past the busy timeout).
    public override bool IsConnectionFailure(Exception ex) =>
        ex is SqliteException { SqliteErrorCode: 14 or 26 or 5 or 6 }; // CANTOPEN, NOTADB, BUSY, LOCKED

    public override string Describe(DbException ex, string query) => ex is SqliteException s ? $"{Message(s)} (SQLite error {s.SqliteErrorCode})" : ex.Message;

    // "SQLite Error 1: 'near "selec": syntax error'." → near "selec": syntax error
    private static string Message(SqliteException ex)
    {
        var text = ex.Message;
        var start = text.IndexOf('\'', StringComparison.Ordinal);
        var end = text.LastIndexOf('\'');
        return start >= 0 && end > start ? text[(start + 1)..end] : text;
    }
}
