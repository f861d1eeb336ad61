using Weft.Nats;
using Weft.Server;

namespace Weft.Cli.Commands;

/// <summary><c>weft server --transport nats://…</c>: the server schedules and records (SQLite), and
/// weft worker processes on NATS run the tasks.</summary>
internal static partial class ServerCommand
{
    // Null when the store can carry a transport; else what is wrong, naming both.
    private static string? TransportProblem(StoreChoice store, TransportChoice transport) => store.Kind switch
    {
        StoreKind.Memory => $"--transport {transport.Describe()} needs a store that keeps runs (--store sqlite:PATH), not {store.Describe()}",
        StoreKind.Postgres => $"--transport {transport.Describe()} with a PostgreSQL store ({store.Describe()}) is not supported yet; use --store sqlite:PATH",
        _ => null,
    };

    private static void UseTransport(WeftServerOptions options, TransportChoice transport, CliIo io)
    {
        var configured = options.ConfigureEngine;
        options.ConfigureEngine = engine =>
        {
            configured?.Invoke(engine);
            engine.Transport = new NatsTransport(transport.Url)
            {
                OnLog = message =>
                {
                    io.Out.WriteLine($"{DateTimeOffset.Now:HH:mm:ss} {message}");
                    io.Out.Flush();
                },
            };
        };
        io.Out.WriteLine($"tasks run on weft worker processes over NATS {transport.Describe()}");
    }
}
