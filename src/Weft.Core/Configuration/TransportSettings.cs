namespace Weft.Configuration;

/// <summary>How a cluster's scheduler and workers exchange work.</summary>
public enum TransportKind
{
    /// <summary>Through the store's tables (the default): the PostgreSQL queue, or the server's own slots.</summary>
    Store,

    /// <summary>Through a NATS JetStream server (<see cref="TransportSettings.Url"/>): <c>weft server</c>
    /// and <c>weft worker</c> then behave as with <c>--transport URL</c>.</summary>
    Nats,
}

/// <summary>The <c>transport:</c> section. <c>--transport</c> and <c>WEFT_TRANSPORT</c> take precedence.</summary>
public sealed class TransportSettings
{
    /// <summary>How tasks reach workers: through the store (the default) or NATS.</summary>
    public TransportKind Kind { get; set; } = TransportKind.Store;

    /// <summary>For <see cref="TransportKind.Nats"/>: the server, <c>nats://[user:pass@]host:port</c> or
    /// <c>tls://…</c>. Credentials in it are never printed.</summary>
    public string? Url { get; set; }

    /// <summary>For <see cref="TransportKind.Nats"/>: a NATS creds file (user JWT and seed) to connect with,
    /// relative to the configuration file; <c>--transport-creds</c> and <c>WEFT_TRANSPORT_CREDS</c> take precedence.</summary>
    public string? Creds { get; set; }

    /// <summary>For <see cref="TransportKind.Nats"/>: a file holding an nkey user seed (<c>SU…</c>) to connect
    /// with, relative to the configuration file; <c>--transport-nkey</c> and <c>WEFT_TRANSPORT_NKEY</c> take precedence.</summary>
    public string? Nkey { get; set; }

    /// <summary>For <see cref="TransportKind.Nats"/>: a name prefix that sets this cluster's streams, subjects and
    /// buckets apart from other clusters' on the same NATS server or account (at most 32 letters, digits, '-'
    /// and '_'); none by default. The server and its workers need the same one; <c>--transport-prefix</c> and
    /// <c>WEFT_TRANSPORT_PREFIX</c> take precedence.</summary>
    public string? Prefix { get; set; }

    internal IEnumerable<(string Path, string Message)> Validate()
    {
        if (Kind == TransportKind.Nats)
        {
            if (string.IsNullOrWhiteSpace(Url))
            {
                yield return ("transport:url", "is required when transport.kind is nats");
            }
            else if (!Uri.TryCreate(Url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("nats" or "tls") || string.IsNullOrEmpty(uri.Host))
            {
                yield return ("transport:url", "is not a NATS server URL; expected nats://host:4222 (or tls://host:4222)");
            }
        }
        else
        {
            foreach (var (key, value) in new[] { ("url", Url), ("creds", Creds), ("nkey", Nkey), ("prefix", Prefix) })
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    yield return ($"transport:{key}", "is only read when transport.kind is nats");
                }
            }
        }
    }

    /// <summary>The NATS server this section names; null for the store's own transport.</summary>
    internal string? NatsUrl => Kind == TransportKind.Nats ? Url?.Trim() : null;
}
