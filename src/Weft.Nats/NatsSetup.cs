using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Client.KeyValueStore;
using NATS.Net;

namespace Weft.Nats;

/// <summary>Connecting and declaring what Weft uses on a NATS server; idempotent, so the scheduler and
/// every worker declare it on start and whichever comes first creates it.</summary>
internal static class NatsSetup
{
    public static NatsConnection Connect(string url, string name) => Connect(new NatsTransport(url), name);

    /// <summary>A connection (not yet open) with the transport's credentials; throws
    /// <see cref="WeftConfigurationException"/> when a creds or seed file cannot be used.</summary>
    public static NatsConnection Connect(NatsTransport transport, string name) =>
        new(new NatsOpts { Url = transport.Url, Name = name, AuthOpts = NatsCredentials.AuthOf(transport) });

    /// <summary>Connects once, waiting at most <paramref name="within"/>: null when the server answered, else
    /// why not. A refusal of the credentials is told apart by <see cref="NatsCredentials.IsRefusal"/>.</summary>
    public static async Task<Exception?> ProbeAsync(NatsTransport transport, TimeSpan within, CancellationToken token)
    {
        await using var connection = Connect(transport, "weft-probe");
        try
        {
            // Real time on purpose: a real server's answer, whatever the engine's clock.
            await connection.ConnectAsync().AsTask().WaitAsync(within, token).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
        {
            return ex;
        }
    }

    /// <summary>The task and result streams (file storage: they survive a NATS restart) and the definitions bucket.</summary>
    public static async Task<(INatsJSContext Js, INatsKVStore Definitions)> DeclareAsync(NatsConnection connection, NatsNames names, CancellationToken token)
    {
        await connection.ConnectAsync().ConfigureAwait(false);
        var js = connection.CreateJetStreamContext();
        // Three independent declarations, asked together (each the first request of its kind at a start).
        var tasks = NatsDeclarations.EnsureStreamAsync(
            js,
            new StreamConfig(names.TaskStream, [names.TaskSubjects])
            {
                Retention = StreamConfigRetention.Workqueue,
                Storage = StreamConfigStorage.File,
                DuplicateWindow = TimeSpan.FromMinutes(2),
            },
            token);
        var results = NatsDeclarations.EnsureStreamAsync(
            js,
            new StreamConfig(names.ResultStream, [names.ResultSubject])
            {
                Retention = StreamConfigRetention.Workqueue,
                Storage = StreamConfigStorage.File,
                DuplicateWindow = TimeSpan.FromMinutes(2),
            },
            token);
        var kv = connection.CreateKeyValueStoreContext();
        var definitions = NatsDeclarations.EnsureBucketAsync(kv, new NatsKVConfig(names.DefinitionBucket) { Storage = NatsKVStorageType.File }, token);
        await Task.WhenAll(tasks, results, definitions).ConfigureAwait(false);
        return (js, await definitions.ConfigureAwait(false));
    }

    // Longer than any lease and its redeliveries: a claim only has to outlive the deliveries of its attempt.
    public static readonly TimeSpan ClaimMemory = TimeSpan.FromMinutes(15);

    /// <summary>The bucket of attempt claims (file storage, so a NATS restart does not make a begun attempt look new).</summary>
    public static async Task<INatsKVStore> DeclareClaimsAsync(NatsConnection connection, NatsNames names, CancellationToken token)
    {
        var kv = connection.CreateKeyValueStoreContext();
        return await NatsDeclarations.EnsureBucketAsync(kv, new NatsKVConfig(names.ClaimBucket) { Storage = NatsKVStorageType.File, MaxAge = ClaimMemory }, token).ConfigureAwait(false);
    }

    /// <summary>Publishes to a stream and waits for JetStream to have stored it (a duplicate within the
    /// window counts as stored: it was, the first time).</summary>
    public static async Task PublishStoredAsync(INatsJSContext js, string subject, byte[] data, string messageId, CancellationToken token)
    {
        var ack = await js.PublishAsync(subject, data, opts: new NatsJSPubOpts { MsgId = messageId }, cancellationToken: token).ConfigureAwait(false);
        if (ack.Duplicate)
        {
            // EnsureSuccess counts it a failure; a publisher retrying after a lost answer would then
            // retry forever, never acking what it holds.
            return;
        }

        ack.EnsureSuccess();
    }

    /// <summary>A URL as a user may see it: without user, password or token.</summary>
    public static string Redact(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? new UriBuilder(uri) { UserName = "", Password = "" }.Uri.ToString().TrimEnd('/')
            : url;
}
