using System.CommandLine;

namespace Weft.Cli.Remote;

/// <summary><c>--server URL</c> and <c>--token T</c> for a command that also works on a local store:
/// with <c>--server</c> it talks to the server's REST API instead. Giving <c>--store</c> as well is a
/// usage error (exit 2).</summary>
internal sealed class RemoteOptions
{
    public Option<string?> Server { get; } = new("--server")
    {
        Description = "Ask a Weft server (e.g. http://127.0.0.1:5080) through its API instead of opening a store.",
        HelpName = "URL",
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"The server's API token (Authorization: Bearer), with --server. Default: ${WeftClient.TokenVariable}.",
        HelpName = "TOKEN",
    };

    /// <summary>Adds both options to <paramref name="command"/> and refuses them with <paramref name="store"/>.</summary>
    public RemoteOptions AddTo(Command command, Option<string?> store)
    {
        command.Options.Add(Server);
        command.Options.Add(Token);
        command.Validators.Add(r =>
        {
            if (r.GetValue(Server) is not null && r.GetValue(store) is not null)
            {
                r.AddError("give either --store or --server, not both");
            }

            if (r.GetValue(Token) is not null && r.GetValue(Server) is null)
            {
                r.AddError("--token is for --server");
            }
        });
        return this;
    }

    /// <summary>The server to ask, or null to work on the local store.</summary>
    public RemoteTarget? Target(ParseResult result) =>
        result.GetValue(Server) is { } url ? new RemoteTarget(url, result.GetValue(Token)) : null;
}

/// <summary>A server URL and the token to send it (null: <c>WEFT_API_TOKEN</c>, if set).</summary>
internal sealed record RemoteTarget(string Server, string? Token)
{
    public WeftClient Connect() => new(Server, Token);
}
