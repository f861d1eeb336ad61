using Weft.Coordination;

namespace Weft.Nats;

/// <summary>NATS JetStream as the transport of a Weft scheduler (<see cref="WeftOptions.Transport"/>):
/// started tasks go to a work-queue stream, one subject per <c>queue:</c>, and <see cref="NatsWorker"/>s
/// anywhere run them; their outcomes come back over a result stream. The store keeps the record: SQLite, or
/// PostgreSQL, whose advisory lock then also decides which server schedules (the others stand by).</summary>
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

    /// <summary>A NATS creds file (user JWT and nkey seed, as <c>nsc</c> writes it) to connect with; not with
    /// credentials in <see cref="Url"/> nor <see cref="NKeySeedFile"/>.</summary>
    public string? CredsFile { get; set; }

    /// <summary>A file holding an nkey user seed (<c>SU…</c>, as <c>nk -gen user</c> writes it) to connect with;
    /// not with credentials in <see cref="Url"/> nor <see cref="CredsFile"/>.</summary>
    public string? NKeySeedFile { get; set; }

    /// <summary>A name prefix that sets this cluster's streams, subjects, consumers and buckets apart from those of
    /// other clusters on the same NATS server or account: with <c>staging</c>, the task stream is <c>WEFT_staging_TASKS</c>,
    /// its subjects <c>weft.staging.tasks.&lt;queue&gt;</c>, the buckets <c>weft-staging-definitions</c>, <c>-claims</c>
    /// and <c>-workers</c>. The scheduler and its workers must have the same one. Default empty: no prefix, the
    /// names <c>WEFT_TASKS</c>, <c>weft.tasks.&lt;queue&gt;</c>, <c>weft-claims</c>… At most 32 letters, digits,
    /// '-' and '_', and not <c>tasks</c>; anything else throws <see cref="ArgumentException"/> naming the value.
    /// Set it before the engine or the worker starts.</summary>
    public string Prefix
    {
        get => Names.Prefix;
        set => Names = new NatsNames(value);
    }

    /// <summary>The names <see cref="Prefix"/> makes.</summary>
    internal NatsNames Names { get; private set; } = NatsNames.Unprefixed;

    /// <summary>After this many attempts of one task lost their worker, it fails as quarantined.</summary>
    public int QuarantineAfter { get; set; } = 3;

    /// <summary>What an operator should see: connection trouble, workers lost.</summary>
    public Action<string>? OnLog { get; set; }

    /// <summary>Starts a worker on this server with these credentials (as <see cref="NatsWorker.StartAsync(string, Cluster.ClusterWorkerOptions, CancellationToken)"/>
    /// does with a URL). A server that is away is waited for (retrying); one that refuses the credentials, or a
    /// creds or seed file that cannot be used, is a <see cref="WeftConfigurationException"/> naming the server
    /// and where the credentials came from.</summary>
    public Task<NatsWorker> StartWorkerAsync(Cluster.ClusterWorkerOptions options, CancellationToken cancellationToken = default) =>
        NatsWorker.StartAsync(this, options, cancellationToken);

    /// <summary>The workers of this NATS cluster, as they last reported themselves (alive; lost: no heartbeat
    /// within their own dead-after; stopped), from the <c>weft-workers</c> key-value bucket (<c>weft-PREFIX-workers</c>
    /// with a <see cref="Prefix"/>). Connects for the call;
    /// throws what the NATS client throws when the server cannot be reached.</summary>
    public async Task<IReadOnlyList<Cluster.WorkerInfo>> ListWorkersAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = NatsSetup.Connect(this, "weft-workers-list");
        await connection.ConnectAsync().ConfigureAwait(false);
        var bucket = await NatsWorkerDirectory.DeclareAsync(connection, Names, cancellationToken).ConfigureAwait(false);
        return await NatsWorkerDirectory.ListAsync(bucket, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The server's URL without its credentials, and the <see cref="Prefix"/> when there is one
    /// (<c>nats://host:4222 (prefix staging)</c>), for messages and logs: two clusters sharing a server differ only by it.</summary>
    public string Describe() => Prefix.Length == 0 ? NatsSetup.Redact(Url) : $"{NatsSetup.Redact(Url)} (prefix {Prefix})";

    IDispatcher ITransport.CreateDispatcher(TransportContext context) => new NatsDispatcher(context, this);
}
