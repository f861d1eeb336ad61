using System.CommandLine;
using Weft.Cli.Remote;

namespace Weft.Cli.Commands.Runs;

/// <summary>The shape shared by <c>weft runs retry</c> and <c>weft runs resume</c>: a run id, a store or
/// a server, <c>--json</c>, <c>--assembly</c>; the run is started (locally or on the server) and
/// followed to its end like <c>weft run</c>.</summary>
internal static class FollowingCommand
{
    public delegate ValueTask<RunHandle> LocalStart(WeftEngine engine, string runId, CancellationToken ct);

    public delegate Task<int> RemoteStart(RemoteTarget target, string runId, bool json, CliIo io, CancellationToken ct);

    /// <summary>A start that reads the command's own options (<paramref name="result"/>) too.</summary>
    public delegate ValueTask<RunHandle> LocalStartWith(WeftEngine engine, string runId, ParseResult result, CancellationToken ct);

    /// <summary>A remote start that reads the command's own options (<paramref name="result"/>) too.</summary>
    public delegate Task<int> RemoteStartWith(RemoteTarget target, string runId, bool json, ParseResult result, CliIo io, CancellationToken ct);

    public static Command Create(string name, string idDescription, string jsonDescription, string description, CliIo io, LocalStart local, RemoteStart remote,
        bool resumeWhereHeld = false) =>
        Create(name, idDescription, jsonDescription, description, io, (engine, runId, _, ct) => local(engine, runId, ct),
            (target, runId, json, _, io, ct) => remote(target, runId, json, io, ct), [], resumeWhereHeld);

    /// <summary>As above, with options of the command's own (<paramref name="options"/>) that the starts read.</summary>
    public static Command Create(string name, string idDescription, string jsonDescription, string description, CliIo io, LocalStartWith local, RemoteStartWith remote,
        IReadOnlyList<Option> options, bool resumeWhereHeld = false)
    {
        var id = new Argument<string>("ID") { Description = idDescription };
        var store = RunsStore.CreateOption();
        var json = new Option<bool>("--json") { Description = jsonDescription };
        var assemblies = RunFollowing.CreateAssemblyOption();
        var command = new Command(name, description)
        {
            id,
            store,
            json,
            assemblies,
        };
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        var server = new RemoteOptions().AddTo(command, store);
        command.Validators.Add(r =>
        {
            if (r.GetValue(server.Server) is not null && r.GetValue(assemblies) is { Length: > 0 })
            {
                r.AddError("--assembly cannot be used with --server: functions run on the server, so register them there");
            }
        });
        command.SetAction((result, ct) => server.Target(result) is { } target
            ? remote(target, result.GetValue(id)!, result.GetValue(json), result, io, ct)
            : RunFollowing.ExecuteAsync(
                result.GetValue(id)!,
                result.GetValue(store),
                result.GetValue(json),
                result.GetValue(assemblies) ?? [],
                io,
                (engine, runId, token) => local(engine, runId, result, token),
                ct,
                resumeWhereHeld));
        return command;
    }
}
