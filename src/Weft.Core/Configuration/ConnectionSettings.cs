namespace Weft.Configuration;

/// <summary>Database engines a named connection may use.</summary>
public enum ConnectionProvider
{
    /// <summary>PostgreSQL, through Npgsql.</summary>
    Postgres,
    /// <summary>A SQLite file, through Microsoft.Data.Sqlite.</summary>
    Sqlite,
    /// <summary>MySQL or MariaDB, through MySqlConnector.</summary>
    Mysql,
}

/// <summary>One entry of <c>connections:</c>, a named SQL connection with its pool.</summary>
public sealed class ConnectionSettings
{
    /// <summary>Which database the connection string is for. Default PostgreSQL.</summary>
    public ConnectionProvider Provider { get; set; } = ConnectionProvider.Postgres;

    /// <summary>The connection string; its password is a secret (<c>weft config show</c> masks it).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Most connections the pool opens at once. Default 10.</summary>
    public int MaxConnections { get; set; } = 10;

    /// <summary>How long an unused pooled connection stays open. Default 5 minutes.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether statements run often are prepared on the server. Default true.</summary>
    public bool PreparedStatements { get; set; } = true;

    internal IEnumerable<(string Path, string Message)> Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return ("connectionString", "is required");
        }

        if (MaxConnections is < 1 or > 10_000)
        {
            yield return ("maxConnections", $"must be between 1 and 10000 (was {MaxConnections})");
        }

        if (IdleTimeout <= TimeSpan.Zero)
        {
            yield return ("idleTimeout", "must be positive");
        }
    }
}
