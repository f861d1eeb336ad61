using System.CommandLine;

namespace Weft.Cli.Commands;

/// <summary><c>weft run FILE [-p name=value]... [--workers N] [--store memory] [--json] [--assembly path.dll]...</c>.</summary>
internal static class RunCommand
{
    public static Command Create(CliIo io)
    {
        var file = new Argument<string?>("FILE") { Description = "The workflow file (YAML or JSON).", Arity = ArgumentArity.ZeroOrOne };
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
        var server = new Option<string?>("--server") { Description = "Submit to a Weft server (e.g. http://127.0.0.1:5080) and follow the run there.", HelpName = "URL" };
        var command = new Command("run", """
            Run a workflow and wait for it to end. Exit code: 0 succeeded, 1 failed or timed out,
            2 invalid input, 130 cancelled (Ctrl+C cancels the run and waits for it to stop).

            Examples:
              weft run flow.yaml
              weft run flow.yaml -p date=2026-01-31 -p region=eu --workers 32
              weft run flow.yaml --json > result.json
              weft run flow.yaml --assembly bin/Release/net10.0/MyFunctions.dll
              weft run flow.yaml --store memory
              weft run flow.yaml --at 2026-12-01T02:00:00Z
              weft run --resume 0192f3c4…          (continue a run a crash interrupted)
            """)
        {
            file,
            parameters,
            workers,
            store,
            json,
            assemblies,
            resume,
            at,
            server,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(at) is { } text && NotBeforeParser.Parse(text, TimeProvider.System.GetUtcNow(), out var error) is null)
            {
                r.AddError(error!);
            }
        });
        command.SetAction((result, ct) =>
        {
            // weft.yaml, WEFT__ variables, then the flags typed: a fixed pool of --workers stays the default.
            if (CliConfiguration.Load(result, io.Error, CliConfiguration.Flag(result, workers, nameof(WeftOptions.Workers))) is not { } configuration)
            {
                return Task.FromResult(ExitCodes.InvalidInput);
            }

            return (result.GetValue(server) is { } url ? (Func<RunRequest, CliIo, CancellationToken, Task<int>>)((r, i, c) => Remote.RemoteRunExecutor.ExecuteAsync(r, url, i, c)) : RunExecutor.ExecuteAsync)(
                new RunRequest(result.GetValue(file))
                {
                    Parameters = result.GetValue(parameters) ?? [],
                    Workers = result.GetValue(workers),
                    Store = CliConfiguration.Store(result.GetValue(store), configuration),
                    Resume = result.GetValue(resume),
                    NotBefore = result.GetValue(at) is { } when ? NotBeforeParser.Parse(when, TimeProvider.System.GetUtcNow(), out _) : null,
                    Json = result.GetValue(json),
                    Assemblies = [.. CliConfiguration.Plugins(configuration), .. result.GetValue(assemblies) ?? []],
                    Configuration = configuration,
                },
                io,
                ct);
        });
        return command;
    }
}
