using Weft.Sqlite;

namespace Weft.Hosting;

/// <summary>Chooses SQLite as the store of a hosted engine: <c>AddWeft(weft =&gt; weft.UseSqlite("weft.db"))</c>.</summary>
public static class SqliteWeftBuilderExtensions
{
    /// <summary>Records runs in the SQLite database at <paramref name="path"/> (created with its directory
    /// when missing), opened by the host at start and closed when it stops; <paramref name="configure"/>
    /// sets the rest (encryption key, compression). A bad option stops the start with every problem.</summary>
    public static WeftBuilder UseSqlite(this WeftBuilder builder, string path, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseStore(async (_, cancellationToken) =>
        {
            var options = new SqliteStoreOptions { Path = path };
            configure?.Invoke(options);
            return await SqliteStore.OpenAsync(options, cancellationToken).ConfigureAwait(false);
        });
    }
}
