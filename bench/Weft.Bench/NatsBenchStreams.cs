using System.Diagnostics;
using System.Security.Cryptography;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Net;
using Weft.Nats;

namespace Weft.Bench;

/// <summary>A NATS JetStream server as a cluster benchmark's transport: the engine hands started tasks to
/// <c>weft worker --transport</c> processes over it, as <c>weft server --transport nats://…</c> does.
///
/// <para>The session's streams and buckets have a name prefix of their own (<see cref="NatsTransport.Prefix"/>:
/// <c>bench-&lt;random&gt;</c> unless <c>--transport-prefix</c> names one), so it runs beside a live cluster on the
/// same server without sharing a stream, subject or bucket with it: its tasks run only on its own workers and
/// its scheduler takes only its own outcomes. It starts only when nothing is under its prefix yet, and deletes
/// what is under it at the end: the server is left as it was found.</para></summary>
internal sealed class NatsBenchStreams : IClusterBenchTransport
{
    /// <summary>The worker's variables for a transport (weft's TransportChoice and TransportCredentials).</summary>
    public static readonly IReadOnlyList<string> WorkerVariables = ["WEFT_TRANSPORT", "WEFT_TRANSPORT_CREDS", "WEFT_TRANSPORT_NKEY", "WEFT_TRANSPORT_PREFIX"];

    private static readonly TimeSpan ConnectLimit = TimeSpan.FromSeconds(10);

    private readonly NatsTransport _transport;

    // Everything NatsSetup declares under the session's prefix; a key-value bucket is the stream KV_<bucket>.
    private readonly IReadOnlyList<string> _streams;
    private readonly NatsConnection _connection;
    private readonly INatsJSContext _js;

    private NatsBenchStreams(NatsTransport transport, NatsConnection connection)
    {
        _transport = transport;
        _streams = transport.Names.Streams;
        _connection = connection;
        _js = connection.CreateJetStreamContext();
    }

    public string? Name => "nats";

    /// <summary>Connects with a prefix of the session's own (<paramref name="given"/>'s when it has one, else
    /// <c>bench-&lt;random&gt;</c>), and refuses (<see cref="BenchInputException"/>) a server that holds streams under it.</summary>
    public static async Task<NatsBenchStreams> ConnectAsync(NatsTransport given, CancellationToken ct)
    {
        var transport = new NatsTransport(given.Url)
        {
            CredsFile = given.CredsFile,
            NKeySeedFile = given.NKeySeedFile,
            Prefix = given.Prefix.Length > 0 ? given.Prefix : "bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)),
        };
        var connection = NatsSetup.Connect(transport, "weft-bench");
        var streams = new NatsBenchStreams(transport, connection);
        try
        {
            try
            {
                await connection.ConnectAsync().AsTask().WaitAsync(ConnectLimit, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                throw NatsCredentials.IsRefusal(ex)
                    ? new BenchInputException($"--transport: {NatsCredentials.RefusalMessage(transport, ex)}")
                    : new InvalidOperationException($"--transport: NATS {transport.Describe()} did not answer within {ConnectLimit.TotalSeconds:0} s ({ex.Message})", ex);
            }

            var found = await streams.OursAsync(ct);
            if (found.Count > 0)
            {
                throw new BenchInputException(
                    $"--transport-prefix: NATS {transport.Describe()} already holds streams under the prefix '{transport.Prefix}' ({string.Join(", ", found)}); " +
                    "weft bench deletes what is under its prefix at the end, so it needs one no cluster uses: give another --transport-prefix, or none for one of its own. " +
                    $"If they are a stopped bench's leftovers: nats stream rm {string.Join(" ", found)}");
            }

            return streams;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public string Describe() => $"NATS {_transport.Describe()} (prefix {_transport.Prefix})";

    public void Configure(WeftOptions options) =>
        options.Transport = new NatsTransport(_transport.Url) { CredsFile = _transport.CredsFile, NKeySeedFile = _transport.NKeySeedFile, Prefix = _transport.Prefix };

    public void ConfigureWorker(ProcessStartInfo worker)
    {
        Set(worker, "WEFT_TRANSPORT", _transport.Url);
        Set(worker, "WEFT_TRANSPORT_CREDS", _transport.CredsFile is { } creds ? Path.GetFullPath(creds) : null);
        Set(worker, "WEFT_TRANSPORT_NKEY", _transport.NKeySeedFile is { } seed ? Path.GetFullPath(seed) : null);
        Set(worker, "WEFT_TRANSPORT_PREFIX", _transport.Prefix);
    }

    /// <summary>Tasks in the task stream: published and not yet acked by a worker.</summary>
    public async Task<long> QueuedAsync(CancellationToken ct) =>
        (await OursAsync(ct)).Contains(_transport.Names.TaskStream)
            ? (await _js.GetStreamAsync(_transport.Names.TaskStream, cancellationToken: ct)).Info.State.Messages
            : 0;

    /// <summary>Deletes every stream and bucket the session made (their consumers go with them).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            using var limit = new CancellationTokenSource(ConnectLimit);
            foreach (var stream in await OursAsync(limit.Token))
            {
                await _js.DeleteStreamAsync(stream, limit.Token);
            }
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }

    private async Task<List<string>> OursAsync(CancellationToken ct)
    {
        var found = new List<string>();
        await foreach (var name in _js.ListStreamNamesAsync(cancellationToken: ct))
        {
            if (_streams.Contains(name))
            {
                found.Add(name);
            }
        }

        return found;
    }

    private static void Set(ProcessStartInfo worker, string variable, string? value)
    {
        if (value is null)
        {
            worker.Environment.Remove(variable);
        }
        else
        {
            worker.Environment[variable] = value;
        }
    }
}
