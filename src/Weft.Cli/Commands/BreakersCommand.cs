using System.CommandLine;
using Weft.Cli.Remote;
using Weft.Storage;

namespace Weft.Cli.Commands;

/// <summary><c>weft breakers list|reset</c>: the circuit breakers of a running engine. Breakers live
/// in the engine's memory, so they are worth asking about only through <c>--server URL</c>; a local
/// <c>list</c> opens the store's engine like <c>weft status</c> does (and finds the breakers that
/// engine has used: none yet), and a local <c>reset</c> is refused.</summary>
internal static class BreakersCommand
{
    public const string LiveOnly = "circuit breakers live in a running engine; reset one on a server with --server URL (or WeftEngine.ResetBreaker in the process that runs the tasks)";

    public static Command Create(CliIo io) => new("breakers", """
        List or reset the circuit breakers of a running Weft engine (a server, with --server URL).
        A breaker opens after consecutive failures of the tasks that count against it; its tasks
        then wait instead of failing. Reset closes it at once.

        Examples:
          weft breakers list --server http://127.0.0.1:5080
          weft breakers reset payments --server http://127.0.0.1:5080
        """)
    {
        List(io),
        Reset(io),
    };

    private static Command List(CliIo io)
    {
        var store = new Option<string?>("--store")
        {
            Description = $"The store whose engine to open, as for `weft status`: sqlite:PATH, sqlite or memory. Default: ${StoreChoice.Variable}, else sqlite.",
            HelpName = "STORE",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON array and nothing else." };
        var command = new Command("list", """
            List circuit breakers with their state (closed, open, half_open), consecutive failures,
            when they opened, until when, and how many tasks wait on them.

            Examples:
              weft breakers list --server http://127.0.0.1:5080
              weft breakers list --server http://127.0.0.1:5080 --json
            """)
        {
            store,
            json,
        };
        var remote = new RemoteOptions().AddTo(command, store);
        command.SetAction((r, ct) => remote.Target(r) is { } target
            ? RemoteBreakers.ListAsync(target, r.GetValue(json), io, ct)
            : ListLocalAsync(r.GetValue(store), r.GetValue(json), io, ct));
        return command;
    }

    private static Command Reset(CliIo io)
    {
        var key = new Argument<string>("KEY") { Description = "The breaker key (see `weft breakers list`)." };
        var remote = new RemoteOptions();
        var command = new Command("reset", """
            Close a circuit breaker by hand: the tasks waiting on it go on at once. Needs --server:
            breakers live in the running engine. An unknown key exits 2.

            Example:
              weft breakers reset payments --server http://127.0.0.1:5080
            """)
        {
            key,
            remote.Server,
            remote.Token,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(remote.Token) is not null && r.GetValue(remote.Server) is null)
            {
                r.AddError("--token is for --server");
            }
        });
        command.SetAction((r, ct) =>
        {
            if (remote.Target(r) is not { } target)
            {
                io.Error.WriteLine($"error: {LiveOnly}");
                return Task.FromResult(ExitCodes.InvalidInput);
            }

            return RemoteBreakers.ResetAsync(target, r.GetValue(key)!, io, ct);
        });
        return command;
    }

    private static async Task<int> ListLocalAsync(string? store, bool json, CliIo io, CancellationToken ct)
    {
        var session = await EngineSession.OpenAsync(store, RunRequest.DefaultWorkers, io.Error, ct).ConfigureAwait(false);
        if (session is null)
        {
            return ExitCodes.InvalidInput;
        }

        await using (session.ConfigureAwait(false))
        {
            var breakers = session.Engine.ListBreakers();
            if (!json && breakers.Count == 0)
            {
                io.Out.WriteLine($"no circuit breakers in an engine just opened on {session.Choice.Describe()}: they live in a running engine; ask a server with --server URL");
                return ExitCodes.Succeeded;
            }

            BreakerListing.Write(io, breakers, json);
            return ExitCodes.Succeeded;
        }
    }
}
