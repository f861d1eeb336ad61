using Microsoft.Extensions.DependencyInjection;
using Weft.Nats;

namespace Weft.Hosting;

/// <summary>NATS JetStream as the transport of a hosted engine:
/// <c>AddWeft(weft =&gt; weft.UseSqlite("weft.db").UseNats("nats://nats:4222"))</c>. The host's engine
/// schedules and records (the store), and <c>weft worker --transport nats://…</c> processes (or
/// <see cref="NatsWorker"/>s) anywhere run its tasks.</summary>
public static class NatsWeftBuilderExtensions
{
    /// <summary>Hands started tasks to worker processes over the NATS server at <paramref name="url"/>
    /// (<c>nats://[user:pass@]host:port</c>, or <c>tls://…</c>) instead of running them on the host's
    /// slots; <paramref name="configure"/> sets the rest (quarantine, a log of connection trouble). Needs
    /// a durable store: <c>UseSqlite</c>, or <c>UsePostgres</c> (members lead or stand by by the database's
    /// lock, and each runs its own worker on NATS); otherwise the start stops with that problem among the others. Throws <see cref="ArgumentException"/> for a URL that is not a
    /// NATS server's (the message never shows its credentials).</summary>
    public static WeftBuilder UseNats(this WeftBuilder builder, string url, Action<NatsTransport>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("nats" or "tls") || string.IsNullOrEmpty(uri.Host))
        {
            // User and password, if any, are masked even where the text does not parse as a URL.
            var shown = System.Text.RegularExpressions.Regex.Replace(url.Trim(), "(?<=//)[^/@]*@", "***@");
            throw new ArgumentException($"'{shown}' is not a NATS server URL; expected nats://host:4222 (or tls://host:4222)", nameof(url));
        }

        var transport = new NatsTransport(url.Trim());
        configure?.Invoke(transport);
        builder.Services.AddSingleton(transport); // a cluster member's own worker takes its tasks from NATS
        return builder.Configure(o => o.Transport = transport);
    }
}
