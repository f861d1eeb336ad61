using Weft.Storage;

namespace Weft.Sqlite;

public sealed partial class SqliteStore
{
    /// <summary>Checks the file's structure (<c>PRAGMA quick_check</c>: every page, b-tree and record
    /// format, not index contents) and throws <see cref="WeftStoreException"/> naming the file and the
    /// damage. A file can be corrupt where ordinary reads do not look, so a health check must ask;
    /// it reads the whole file once, so it is for <c>weft status</c>, not for polling.</summary>
    public ValueTask CheckIntegrityAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var problems = Read("check its integrity", c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "PRAGMA quick_check(5)";
            using var r = command.ExecuteReader();
            var lines = new List<string>();
            while (r.Read())
            {
                lines.Add(r.GetString(0));
            }

            return lines;
        });
        if (problems is not ["ok"])
        {
            throw new WeftStoreException($"the store at {_path} is damaged: the database file is corrupt ({string.Join("; ", problems)})");
        }

        return ValueTask.CompletedTask;
    }
}
