using Weft.Nats;
using Weft.Server;

namespace Weft.Cli.Commands;

/// <summary><c>weft server --transport nats://…</c>: the server schedules and records (SQLite; or PostgreSQL,
/// where it leads or stands by as without a transport), and weft worker processes on NATS run the tasks.</summary>
internal static partial class ServerCommand
{
    // Null when the store can carry a transport; else what is wrong, naming both.
    private static string? TransportProblem(StoreChoice store, TransportChoice transport) => store.Kind switch
    {
        StoreKind.Memory => $"--transport {transport.Describe()} needs a store that keeps runs (--store sqlite:PATH or postgres://…), not {store.Describe()}",
        _ => null,
    };

    /// <summary>Connects once before the server starts: a NATS server that refuses the credentials is an
    /// input error (exit 2) now rather than a retry loop in the log; one that does not answer yet is waited
    /// for in the background, as before.</summary>
    private static async Task<bool> RefusedAsync(TransportChoice transport, CliIo io, CancellationToken ct)
    {
        var nats = transport.ToTransport();
        if (await NatsSetup.ProbeAsync(nats, TimeSpan.FromSeconds(5), ct).ConfigureAwait(false) is not { } problem)
        {
            return false;
        }

        if (NatsCredentials.IsRefusal(problem))
        {
            io.Error.WriteLine($"error: --transport: {NatsCredentials.RefusalMessage(nats, problem)}");
            return true;
        }

        io.Out.WriteLine($"NATS {transport.Describe()} does not answer yet ({problem.Message}); the server keeps trying");
        return false;
    }

    private static void UseTransport(WeftServerOptions options, TransportChoice transport, CliIo io)
    {
        var configured = options.ConfigureEngine;
        options.ConfigureEngine = engine =>
        {
            configured?.Invoke(engine);
            var nats = transport.ToTransport();
            nats.OnLog = message =>
            {
                io.Out.WriteLine($"{DateTimeOffset.Now:HH:mm:ss} {message}");
                io.Out.Flush();
            };
            engine.Transport = nats;
        };
        io.Out.WriteLine($"tasks run on weft worker processes over NATS {transport.DescribeWithPrefix()}");
    }
}
