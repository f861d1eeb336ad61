using Weft.Coordination;

namespace Weft.Nats;

/// <summary>NATS JetStream as the transport of a Weft scheduler (<see cref="WeftOptions.Transport"/>):
/// started tasks go to a work-queue stream, one subject per <c>queue:</c>, and <see cref="NatsWorker"/>s
/// anywhere run them; their outcomes come back over a result stream. The store (SQLite) keeps the record.</summary>
public sealed class NatsTransport : ITransport
{
    /// <summary>A transport over the NATS server at <paramref name="url"/> (<c>nats://[user:pass@]host:port</c>
    /// or <c>tls://…</c>); nothing connects until the engine starts.</summary>
    public NatsTransport(string url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        Url = url;
    }

    /// <summary>The NATS server, e.g. nats://127.0.0.1:4222 (credentials in the URL are never printed).</summary>
    public string Url { get; }

    /// <summary>After this many attempts of one task lost their worker, it fails as quarantined.</summary>
    public int QuarantineAfter { get; set; } = 3;

    /// <summary>What an operator should see: connection trouble, workers lost.</summary>
    public Action<string>? OnLog { get; set; }

    /// <summary>The server's URL without its credentials, for messages and logs.</summary>
    public string Describe() => NatsSetup.Redact(Url);

    IDispatcher ITransport.CreateDispatcher(TransportContext context) => new NatsDispatcher(context, this);
}
