using System.CommandLine;
using Weft.Cli.Remote;
using Weft.Definitions;

namespace Weft.Cli.Commands;

/// <summary><c>weft run FILE [-p name=value]... [--workers N] [--store memory] [--json] [--assembly path.dll]...</c>,
/// or <c>weft run NAME --server URL</c> for a workflow registered on a server.</summary>
internal static class RunCommand
{
    public static Command Create(CliIo io)
    {
        var file = new Argument<string?>("FILE")
        {
            Description = "The workflow file (YAML or JSON); with --server, a file or the name of a workflow registered on the server.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var resume = new Option<string?>("--resume") { Description = "Continue an unfinished run (after a crash) instead of starting one.", HelpName = "ID" };
        var at = new Option<string?>("--at") { Description = "Do not start before this time (ISO-8601, e.g. 2026-12-01T02:00:00Z) or after this delay (e.g. 10m).", HelpName = "TIME" };
        var parameters = new Option<string[]>("--param", "-p")
        {
            Description = "A run parameter as name=value; repeat for more.",
            HelpName = "name=value",
        };
        var workers = new Option<int>("--workers", "-w")
        {
            Description = $"How many tasks run at once. Default {RunRequest.DefaultWorkers}.",
            DefaultValueFactory = _ => RunRequest.DefaultWorkers,
        };
        workers.InRange(1, 4096);
        var store = new Option<string?>("--store")
        {
            Description = $"Where the run is recorded: sqlite:PATH, sqlite (= {StoreChoice.DefaultSqlitePath}, the default) or memory. Default: ${StoreChoice.Variable}, else sqlite.",
            HelpName = "STORE",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON document describing the finished run, and nothing else." };
        var assemblies = new Option<string[]>("--assembly")
        {
            Description = "A .NET assembly whose [WeftFunction] methods function: tasks may call; repeat for more.",
            HelpName = "path.dll",
        };
        var plugin = Plugins.PluginOption.Create();
        var remote = new RemoteOptions();
        remote.Server.Description = "Submit to a Weft server (e.g. http://127.0.0.1:5080) and follow the run there.";
        var priority = new Option<string?>("--priority")
        {
            Description = "Run every task of this run at this priority: critical, high, normal or low. Default: each task's own.",
            HelpName = "LEVEL",
        };
        priority.AcceptOnlyFromAmong(RunRequest.PriorityNames);
        var dedupKey = new Option<string?>("--dedup-key")
        {
            Description = "Start the run only if no run was started with this key: a second submission reports the first run instead. "
                + "On a server, for its dedup window; on a local store, as long as the store keeps the run.",
            HelpName = "KEY",
        };
        var command = new Command("run", """
            Run a workflow and wait for it to end. Exit code: 0 succeeded, 1 failed or timed out,
            2 invalid input, 130 cancelled (Ctrl+C cancels the run and waits for it to stop).

            Examples:
              weft run flow.yaml
              weft run flow.yaml -p date=2026-01-31 -p region=eu --workers 32
              weft run flow.yaml --json > result.json
              weft run flow.yaml --assembly bin/Release/net10.0/MyFunctions.dll
              weft run flow.yaml --plugin plugins/MyKinds.dll
              weft run flow.yaml --store memory
              weft run flow.yaml --at 2026-12-01T02:00:00Z
              weft run --resume 0192f3c4…          (continue a run a crash interrupted)
              weft run nightly-etl --server http://127.0.0.1:5080 -p date=2026-01-31   (a registered workflow)
              weft run flow.yaml --priority high --dedup-key etl-2026-01-31
            """)
        {
            file,
            parameters,
            workers,
            store,
            json,
            assemblies,
            plugin,
            resume,
            at,
            priority,
            dedupKey,
        };
        remote.AddTo(command, store);
        command.Validators.Add(r =>
        {
            if (r.GetValue(at) is { } text && NotBeforeParser.Parse(text, TimeProvider.System.GetUtcNow(), out var error) is null)
            {
                r.AddError(error!);
            }

            if (r.GetValue(dedupKey) is { Length: 0 or > RunRequest.MaxDedupKeyLength } key)
            {
                r.AddError($"--dedup-key must be 1 to {RunRequest.MaxDedupKeyLength} characters (was {key.Length})");
            }
        });
        command.SetAction((result, ct) =>
        {
            // weft.yaml, WEFT__ variables, then the flags typed: a fixed pool of --workers stays the default.
            if (CliConfiguration.Load(result, io.Error, CliConfiguration.Flag(result, workers, nameof(WeftOptions.Workers))) is not { } configuration)
            {
                return Task.FromResult(ExitCodes.InvalidInput);
            }

            return (remote.Target(result) is { } target ? (Func<RunRequest, CliIo, CancellationToken, Task<int>>)((r, i, c) => RemoteRunExecutor.ExecuteAsync(r, target, i, c)) : RunExecutor.ExecuteAsync)(
                new RunRequest(result.GetValue(file))
                {
                    Parameters = result.GetValue(parameters) ?? [],
                    Workers = result.GetValue(workers),
                    Store = CliConfiguration.Store(result.GetValue(store), configuration),
                    Resume = result.GetValue(resume),
                    NotBefore = result.GetValue(at) is { } when ? NotBeforeParser.Parse(when, TimeProvider.System.GetUtcNow(), out _) : null,
                    Json = result.GetValue(json),
                    Assemblies = result.GetValue(assemblies) ?? [],
                    Plugins = Plugins.PluginOption.Paths(result, plugin, configuration),
                    Priority = RunRequest.ParsePriority(result.GetValue(priority)),
                    DedupKey = result.GetValue(dedupKey),
                    Configuration = configuration,
                },
                io,
                ct);
        });
        return command;
    }
}
