namespace Weft;

/// <summary>The HTTP client of <c>http</c> tasks: connection pool and default request timeout. One
/// client (one connection pool) is shared by every engine and worker of the process with the same
/// settings.</summary>
public sealed class HttpOptions
{
    /// <summary>How long a request may take, from sending it to the end of the response body, when its
    /// task sets no <c>timeout</c>: past it the attempt times out (a <c>timeout</c> that <c>retryOn</c>
    /// can retry). Default 100 s, as <see cref="HttpClient.Timeout"/>; null waits forever.</summary>
    public TimeSpan? DefaultRequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Most open connections to one server (scheme, host and port). Default: no limit.</summary>
    public int MaxConnectionsPerServer { get; set; } = int.MaxValue;

    /// <summary>How long an idle connection is kept open for reuse (keep-alive). Default 30 s.</summary>
    public TimeSpan KeepAliveIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a connection is reused at most, so DNS changes are seen. Default 2 minutes.</summary>
    public TimeSpan ConnectionLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long establishing a connection may take. Default 30 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal IEnumerable<string> Validate()
    {
        if (DefaultRequestTimeout is { } timeout && Definitions.ValueChecks.Timeout(timeout) is { } problem)
        {
            yield return $"Http.DefaultRequestTimeout: {problem}";
        }

        if (MaxConnectionsPerServer < 1)
        {
            yield return $"Http.MaxConnectionsPerServer must be at least 1 (was {MaxConnectionsPerServer})";
        }

        if (KeepAliveIdleTimeout < TimeSpan.Zero)
        {
            yield return $"Http.KeepAliveIdleTimeout must not be negative (was {KeepAliveIdleTimeout})";
        }

        if (ConnectionLifetime <= TimeSpan.Zero)
        {
            yield return $"Http.ConnectionLifetime must be positive (was {ConnectionLifetime})";
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            yield return $"Http.ConnectTimeout must be positive (was {ConnectTimeout})";
        }
    }

    /// <summary>The settings that shape a connection pool, as a key for sharing it.</summary>
    internal (int, TimeSpan, TimeSpan, TimeSpan) PoolKey => (MaxConnectionsPerServer, KeepAliveIdleTimeout, ConnectionLifetime, ConnectTimeout);
}
