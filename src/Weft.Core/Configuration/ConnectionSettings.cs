namespace Weft.Configuration;

/// <summary>Database engines a named connection may use.</summary>
public enum ConnectionProvider
{
    Postgres,
    Sqlite,
}

/// <summary>One entry of <c>connections:</c>, a named SQL connection with its pool.</summary>
public sealed class ConnectionSettings
{
    public ConnectionProvider Provider { get; set; } = ConnectionProvider.Postgres;

    /// <summary>The connection string; its password is a secret (<c>weft config show</c> masks it).</summary>
    public string? ConnectionString { get; set; }

    public int MaxConnections { get; set; } = 10;

    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

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
