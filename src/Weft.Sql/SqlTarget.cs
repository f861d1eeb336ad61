using Microsoft.Data.Sqlite;
using Weft.Configuration;
using Weft.Postgres;

namespace Weft.Sql;

/// <summary>Where a named connection points: the provider and its connection string, read from the
/// forms <c>--store</c> takes (<c>sqlite:PATH</c>, <c>postgres://…</c>, <c>postgresql://…</c>, the Npgsql
/// keyword form), <c>mysql://…</c> or <c>mariadb://…</c>, or the keyword string of the configured
/// provider (Microsoft.Data.Sqlite's, MySqlConnector's). A URL or <c>sqlite:</c> chooses the provider itself.
/// <see cref="Description"/> is what messages show: never a password.</summary>
internal sealed record SqlTarget(ConnectionProvider Provider, string ConnectionString, string Description)
{
    /// <summary>The description only: the record's generated text would print the connection string,
    /// password and all, wherever a target reached a log or a message.</summary>
    public override string ToString() => Description;

    /// <summary>The target <paramref name="text"/> names, or null with <paramref name="error"/> (which never
    /// repeats the text, since it may hold a password).</summary>
    public static SqlTarget? TryParse(string text, ConnectionProvider provider, out string? error)
    {
        error = null;
        var trimmed = text.Trim();
        if (trimmed.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = trimmed["sqlite:".Length..];
            if (path.Length == 0)
            {
                error = "'sqlite:' names no file (write sqlite:PATH)";
                return null;
            }

            return Sqlite(new SqliteConnectionStringBuilder { DataSource = path });
        }

        if (MySqlAddress.IsUri(trimmed))
        {
            return MySqlAddress.TryParse(trimmed, out error);
        }

        var isUri = trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);
        if (isUri || provider == ConnectionProvider.Postgres)
        {
            if (!PostgresConnection.TryParse(trimmed, out var connection, out var problem))
            {
                error = problem;
                return null;
            }

            return new SqlTarget(ConnectionProvider.Postgres, connection.ConnectionString, $"postgres://{connection.Description}");
        }

        if (provider == ConnectionProvider.Mysql)
        {
            return MySqlAddress.TryParse(trimmed, out error);
        }

        try
        {
            return Sqlite(new SqliteConnectionStringBuilder(trimmed));
        }
        catch (ArgumentException ex)
        {
            error = $"not a SQLite connection string: {ex.Message}";
            return null;
        }
    }

    private static SqlTarget Sqlite(SqliteConnectionStringBuilder builder) =>
        new(ConnectionProvider.Sqlite, builder.ConnectionString, $"sqlite:{builder.DataSource}");
}
