using Microsoft.Data.Sqlite;
using Weft.Storage;

namespace Weft.Sqlite;

public sealed partial class SqliteStore
{
    /// <summary>Brings the schema up to <see cref="Migrations.Latest"/>. The version is read before
    /// anything else touches the file, so a database from a newer weft is refused unmodified.</summary>
    private static void Migrate(SqliteConnection connection, string path)
    {
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > Migrations.Latest)
        {
            throw new WeftStoreException(
                $"the database at {path} has schema version {version}, newer than this weft ({Migrations.Latest}); upgrade weft");
        }

        // WAL: readers (a `weft runs list` in another process) never wait for the writer, and a
        // commit is one sequential append. Persistent in the file, so set after the version check.
        Execute(connection, "PRAGMA journal_mode = WAL");
        for (var v = version; v < Migrations.Latest; v++)
        {
            using var tx = connection.BeginTransaction();
            Execute(connection, Migrations.All[v], tx);
            Execute(connection, $"PRAGMA user_version = {v + 1}", tx);
            tx.Commit();
        }
    }

    /// <summary>Per-connection settings; none of them writes to the file.</summary>
    private static void Configure(SqliteConnection connection)
    {
        // FULL: in WAL mode NORMAL survives a process crash but can lose the last commits on power
        // loss; DESIGN.md promises an acknowledged submission survives any crash, so every commit
        // is fsynced before CreateRunAsync/WriteAsync return.
        Execute(connection, "PRAGMA synchronous = FULL");
        Execute(connection, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}");
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        command.ExecuteNonQuery();
    }
}
