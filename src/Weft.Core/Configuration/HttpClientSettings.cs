namespace Weft.Configuration;

/// <summary>The <c>http:</c> section: the client <c>http:</c> tasks share.</summary>
public sealed class HttpClientSettings
{
    /// <summary>Connections open at once to one server.</summary>
    public int MaxConnectionsPerServer { get; set; } = 256;

    /// <summary>How long an idle connection is kept for reuse.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A request of a task that sets no <c>timeout:</c> is abandoned after this; null waits as
    /// long as the task may run.</summary>
    public TimeSpan? RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    internal IEnumerable<(string Path, string Message)> Validate()
    {
        if (MaxConnectionsPerServer < 1)
        {
            yield return ("http:maxConnectionsPerServer", $"must be at least 1 (was {MaxConnectionsPerServer})");
        }

        if (KeepAlive <= TimeSpan.Zero)
        {
            yield return ("http:keepAlive", "must be positive");
        }

        if (RequestTimeout is { } t && t <= TimeSpan.Zero)
        {
            yield return ("http:requestTimeout", "must be positive or null");
        }
    }
}
