using System.Diagnostics;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Net;
using Weft.Nats;

namespace Weft.Bench;

/// <summary>A NATS JetStream server as a cluster benchmark's transport: the engine hands started tasks to
/// <c>weft worker --transport</c> processes over it, as <c>weft server --transport nats://…</c> does.
///
/// <para>A Weft cluster's streams and buckets have fixed names (NatsNames), so a bench on a NATS server a
/// cluster uses would share its task and result streams: its tasks could run on the cluster's workers and
/// its scheduler take the cluster's outcomes. So the session starts only on a server that holds none of
/// them, and deletes them all at the end: the server is left as it was found.</para></summary>
internal sealed class NatsBenchStreams : IClusterBenchTransport
{
    /// <summary>The worker's variables for a transport (weft's TransportChoice and TransportCredentials).</summary>
    public static readonly IReadOnlyList<string> WorkerVariables = ["WEFT_TRANSPORT", "WEFT_TRANSPORT_CREDS", "WEFT_TRANSPORT_NKEY"];

    private static readonly TimeSpan ConnectLimit = TimeSpan.FromSeconds(10);

    // Everything NatsSetup declares; a key-value bucket is the stream KV_<bucket>.
    private static readonly IReadOnlyList<string> Streams =
        NatsNames.Unprefixed.Streams;

    private readonly NatsTransport _transport;
    private readonly NatsConnection _connection;
    private readonly INatsJSContext _js;

    private NatsBenchStreams(NatsTransport transport, NatsConnection connection)
    {
        _transport = transport;
        _connection = connection;
        _js = connection.CreateJetStreamContext();
    }

    public string? Name => "nats";

    /// <summary>Connects, and refuses (<see cref="BenchInputException"/>) a server that holds a Weft cluster's streams.</summary>
    public static async Task<NatsBenchStreams> ConnectAsync(NatsTransport transport, CancellationToken ct)
    {
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
                    $"--transport: NATS {transport.Describe()} already holds a Weft cluster's streams ({string.Join(", ", found)}); " +
                    "weft bench uses the same names and deletes them at the end, so it needs a NATS server (or account) no cluster uses. " +
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

    public string Describe() => "NATS " + _transport.Describe();

    public void Configure(WeftOptions options) =>
        options.Transport = new NatsTransport(_transport.Url) { CredsFile = _transport.CredsFile, NKeySeedFile = _transport.NKeySeedFile };

    public void ConfigureWorker(ProcessStartInfo worker)
    {
        Set(worker, "WEFT_TRANSPORT", _transport.Url);
        Set(worker, "WEFT_TRANSPORT_CREDS", _transport.CredsFile is { } creds ? Path.GetFullPath(creds) : null);
        Set(worker, "WEFT_TRANSPORT_NKEY", _transport.NKeySeedFile is { } seed ? Path.GetFullPath(seed) : null);
    }

    /// <summary>Tasks in the task stream: published and not yet acked by a worker.</summary>
    public async Task<long> QueuedAsync(CancellationToken ct) =>
        (await OursAsync(ct)).Contains(NatsNames.Unprefixed.TaskStream)
            ? (await _js.GetStreamAsync(NatsNames.Unprefixed.TaskStream, cancellationToken: ct)).Info.State.Messages
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
            if (Streams.Contains(name))
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
