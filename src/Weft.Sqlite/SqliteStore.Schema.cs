using Microsoft.Data.Sqlite;
using Weft.Storage;

namespace Weft.Sqlite;

public sealed partial class SqliteStore
{
    /// <summary>Brings the schema up to <see cref="Migrations.Latest"/>. The version is read before
    /// anything else touches the file, so a database from a newer weft is refused unmodified. Several
    /// processes may open a new file at once (three `weft run` started together): the migration runs
    /// in one immediate transaction that reads the version again under the write lock, so the first
    /// opener migrates and the others, waiting on the busy timeout, find it done.</summary>
    private static void Migrate(SqliteConnection connection, string path)
    {
        var version = Version(connection);
        if (version > Migrations.Latest)
        {
            throw Newer(path, version);
        }

        // WAL: readers (a `weft runs list` in another process) never wait for the writer, and a
        // commit is one sequential append. Persistent in the file, so set after the version check;
        // it cannot be changed inside a transaction, so it comes before the migration's.
        Execute(connection, "PRAGMA journal_mode = WAL");
        if (version == Migrations.Latest)
        {
            return;
        }

        using var tx = connection.BeginTransaction(deferred: false);
        version = Version(connection, tx);
        if (version > Migrations.Latest)
        {
            throw Newer(path, version);
        }

        for (var v = version; v < Migrations.Latest; v++)
        {
            Execute(connection, Migrations.All[v], tx);
            Execute(connection, $"PRAGMA user_version = {v + 1}", tx);
        }

        tx.Commit();
    }

    /// <summary>Loads SQLite into the process (the native library, the provider, the schema's and the
    /// writer's statements) by building the schema in a throwaway in-memory database: no file is
    /// touched. A command calls it on a spare core while it reads its input, so that the open of its
    /// store which follows, on the command's own thread, finds that work done.</summary>
    internal static void WarmUp()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        Configure(connection);
        Migrate(connection, ":memory:");
        using var commands = new WriteCommands(connection);
    }

    private static int Version(SqliteConnection connection, SqliteTransaction? tx = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        command.Transaction = tx;
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static WeftStoreException Newer(string path, int version) => new(
        $"the database at {path} has schema version {version}, newer than this weft ({Migrations.Latest}); upgrade weft");

    /// <summary>Per-connection settings; none of them writes to the file.</summary>
    private static void Configure(SqliteConnection connection)
    {
        // FULL: in WAL mode NORMAL survives a process crash but can lose the last commits on power
        // loss; DESIGN.md promises an acknowledged submission survives any crash, so every commit
        // is fsynced before CreateRunAsync/WriteAsync return.
        Execute(connection, "PRAGMA synchronous = FULL");
        Execute(connection, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}");
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        command.ExecuteNonQuery();
    }
}
