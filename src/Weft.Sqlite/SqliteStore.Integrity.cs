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
            // quick_check's rows may hold several lines each ("*** in database main ***\nTree 7 …").
            var found = problems.SelectMany(p => p.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Where(line => !line.StartsWith("***", StringComparison.Ordinal)).ToList();
            var shown = string.Join("; ", found.Take(3)) + (found.Count > 3 ? $"; and {found.Count - 3} more" : "");
            throw new WeftStoreException($"the store at {_path} is damaged: the database file is corrupt ({shown})");
        }

        return ValueTask.CompletedTask;
    }
}
