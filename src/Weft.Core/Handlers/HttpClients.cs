using System.Collections.Concurrent;
using System.Net;

namespace Weft.Handlers;

/// <summary>The HTTP clients of the process, one per distinct pool setting. A client per task (or per
/// engine, and tests make many) would exhaust sockets (TIME_WAIT); a client whose connections live
/// forever would never see DNS changes, hence <see cref="HttpOptions.ConnectionLifetime"/>.</summary>
internal static class HttpClients
{
    private static readonly ConcurrentDictionary<(int, TimeSpan, TimeSpan, TimeSpan), HttpClient> Clients = new();

    public static HttpClient For(HttpOptions options) =>
        Clients.GetOrAdd(options.PoolKey, static (_, o) => Create(o), options);

    private static HttpClient Create(HttpOptions options) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = options.MaxConnectionsPerServer,
        PooledConnectionIdleTimeout = options.KeepAliveIdleTimeout,
        PooledConnectionLifetime = options.ConnectionLifetime,
        ConnectTimeout = options.ConnectTimeout,
        AutomaticDecompression = DecompressionMethods.All,
    })
    {
        // Request timeouts are per task (HttpSpec.Timeout, else HttpOptions.DefaultRequestTimeout, on
        // the engine's clock) and the invocation token, not per client.
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
