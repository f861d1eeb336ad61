using Weft.Storage;
using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Weft.Server;

namespace Weft.Cli.Commands;

/// <summary><c>weft server [--store memory] [--urls URL] [--workers N] [--token T] [--insecure] [--allowed-hosts NAMES] [--read-only]</c>:
/// hosts the engine, the REST API, the dashboard and /metrics until Ctrl+C.</summary>
internal static partial class ServerCommand
{
    public const string TokenVariable = "WEFT_API_TOKEN";

    public static Command Create(CliIo io)
    {
        var store = new Option<string?>("--store")
        {
            Description = $"Where runs are recorded: sqlite:PATH, sqlite (= {StoreChoice.DefaultSqlitePath}, the default), memory, or postgres://user:pass@host:5432/db (cluster mode: this server schedules, weft worker processes run tasks). Default: ${StoreChoice.Variable}, else sqlite.",
            HelpName = "STORE",
        };
        var transport = new Option<string?>("--transport")
        {
            Description = $"Hand started tasks to weft worker processes over NATS JetStream: nats://[user:pass@]host:4222 (needs --store sqlite:PATH or postgres://…, where servers lead or stand by as without it; workers run with the same --transport). Default: ${TransportChoice.Variable}, else transport: in the configuration.",
            HelpName = "URL",
        };
        var transportCreds = TransportCredentials.CredsOption();
        var transportNKey = TransportCredentials.NKeyOption();
        var transportPrefix = TransportPrefix.Option();
        var urls = new Option<string>("--urls")
        {
            Description = $"Where to listen, ';'-separated. Default {WeftServerApp.DefaultUrl}. Anything but loopback needs --token or --insecure.",
            DefaultValueFactory = _ => WeftServerApp.DefaultUrl,
        };
        var workers = new Option<int>("--workers", "-w")
        {
            Description = "Worker slots, a fixed pool. Default: pool: of the configuration, else 2 to 16 scaling with the load. With a cluster store: slots of a worker inside this process (0 = none; tasks then run only on weft worker processes).",
            DefaultValueFactory = _ => 16,
        };
        workers.InRange(0, 4096);
        var token = new Option<string?>("--token") { Description = $"API token that changes must carry (Authorization: Bearer). Default: ${TokenVariable}." };
        var insecure = new Option<bool>("--insecure") { Description = "Serve the API open (no token) on a non-loopback address." };
        var allowedHosts = new Option<string?>("--allowed-hosts")
        {
            Description = "Without a token, the Host names the server answers to besides localhost, 127.0.0.1 and [::1], ','-separated (weft.internal, *.example.com, or * for any). Other names get 421.",
            HelpName = "NAMES",
        };
        var readOnly = new Option<bool>("--read-only") { Description = "Refuse every change: submit, cancel, retry, pause, resume, schedules." };
        var workflows = new Option<string?>("--workflows")
        {
            Description = "A folder of workflow files (*.yaml, *.yml, *.json) to register at start; their schedules run.",
            HelpName = "DIR",
        };
        var plugin = Plugins.PluginOption.Create();
        var command = new Command("server", """
            Run the Weft server: engine, REST API under /api, dashboard under /dashboard, /metrics.

            Examples:
              weft server
              weft server --urls http://0.0.0.0:5080 --token "$WEFT_API_TOKEN"
              weft server --read-only --workers 32
              weft server --workflows flows/
              weft server --store postgres://weft:secret@db:5432/weft --workers 0
              weft server --store sqlite:runs.db --transport nats://127.0.0.1:4222
              weft server --store sqlite:runs.db --transport nats://nats.internal:4222 --transport-nkey /etc/weft/server.nk
              weft server --plugin plugins/MyKinds.dll
            """)
        {
            store,
            transport,
            transportCreds,
            transportNKey,
            transportPrefix,
            urls,
            workers,
            token,
            insecure,
            allowedHosts,
            readOnly,
            workflows,
            plugin,
        };
        command.SetAction((result, ct) =>
        {
            // --workers 0 (cluster: no worker inside the server) sizes no pool, so it is no pool setting.
            var workersFlag = result.GetValue(workers) > 0 ? CliConfiguration.Flag(result, workers, nameof(WeftOptions.Workers)) : null;
            if (CliConfiguration.Load(result, io.Error, workersFlag) is not { } configuration)
            {
                return Task.FromResult(ExitCodes.InvalidInput);
            }

            // sql: over the configured connections, and the plug-ins' kinds, for the engine's slots and its API.
            if (Plugins.TaskKinds.Load(configuration, Plugins.PluginOption.Paths(result, plugin, configuration), io.Error) is not { } kinds)
            {
                return Task.FromResult(ExitCodes.InvalidInput);
            }

            // A flag wins, then the environment's token, then the file's server: section.
            var file = configuration.Settings.Server;
            var typedUrls = result.GetResult(urls) is { Implicit: false } ? result.GetValue(urls) : null;
            var options = new WeftServerOptions
            {
                Workers = result.GetValue(workers),
                Token = result.GetValue(token) ?? NullIfEmpty(Environment.GetEnvironmentVariable(TokenVariable)) ?? file.Token,
                Insecure = result.GetValue(insecure) || file.Insecure,
                AllowedHosts = result.GetValue(allowedHosts) is { } hosts ? hosts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [.. file.AllowedHosts],
                ReadOnly = result.GetValue(readOnly) || file.ReadOnly,
                ConfigureEngine = e => ConfigureEngine(e, configuration, kinds),
            };
            return RunAsync(
                CliConfiguration.Store(result.GetValue(store), configuration),
                CliConfiguration.Transport(result.GetValue(transport), configuration),
                TransportCredentials.From(result, transportCreds, transportNKey, configuration),
                TransportPrefix.From(result, transportPrefix, configuration),
                result.GetValue(workflows) ?? file.Workflows,
                typedUrls is not null ? SplitUrls(typedUrls) : file.Urls.Count > 0 ? [.. file.Urls] : SplitUrls(WeftServerApp.DefaultUrl),
                options,
                kinds,
                io,
                ct);
        });
        return command;
    }

    private static string[] SplitUrls(string urls) => urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // A server's pool scales (2..16) unless --workers, workers: or pool: say otherwise.
    private static void ConfigureEngine(WeftOptions engine, Configuration.WeftConfiguration configuration, Plugins.TaskKinds kinds)
    {
        kinds.AddTo(engine.Handlers);
        if (!configuration.Sets(nameof(WeftOptions.Workers)))
        {
            var defaults = new PoolOptions();
            engine.Pool.MinWorkers = defaults.MinWorkers;
            engine.Pool.MaxWorkers = defaults.MaxWorkers;
        }

        configuration.ApplyTo(engine);
    }

    private static async Task<int> RunAsync(string? store, string? transportText, TransportCredentials credentials, (string Value, string Source)? prefix, string? workflowDir, string[] urls, WeftServerOptions options, Plugins.TaskKinds kinds, CliIo io, CancellationToken ct)
    {
        await using var kindsLifetime = kinds.ConfigureAwait(false);
        if (StoreChoice.TryParse(store, out var storeError) is not { } choice)
        {
            io.Error.WriteLine($"error: {storeError}");
            return ExitCodes.InvalidInput;
        }

        var transport = TransportChoice.TryParse(transportText, credentials, prefix, out var transportError);
        transportError ??= transport is null ? null : TransportProblem(choice, transport);
        if (transportError is not null)
        {
            io.Error.WriteLine($"error: {transportError}");
            return ExitCodes.InvalidInput;
        }

        IWeftStore opened;
        try
        {
            opened = await choice.OpenAsync(ct).ConfigureAwait(false);
        }
        catch (WeftStoreException ex)
        {
            io.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }

        await using var storeLifetime = opened.ConfigureAwait(false);
        if (transport is not null)
        {
            if (await RefusedAsync(transport, io, ct).ConfigureAwait(false))
            {
                return ExitCodes.InvalidInput;
            }

            UseTransport(options, transport, io);
        }

        if (opened is Cluster.IClusterStore cluster)
        {
            return await ClusterServer.RunAsync(cluster, choice, transport is not null, workflowDir, urls, options, io, ct).ConfigureAwait(false);
        }

        if (transport is null && options.Workers < 1)
        {
            io.Error.WriteLine("error: --workers 0 only makes sense with a cluster store (postgres://…), where weft worker processes run the tasks");
            return ExitCodes.InvalidInput;
        }

        var (app, exit) = await ServerHost.StartAsync(options, urls, b => b.Services.AddSingleton(opened), workflowDir, io, ct).ConfigureAwait(false);
        if (app is null)
        {
            return exit;
        }

        await using (app.ConfigureAwait(false))
        {
            if (!kinds.RegisterFunctions(app.Services.GetRequiredService<WeftEngine>().Functions, io.Error))
            {
                return ExitCodes.InvalidInput;
            }

            // A server is the long-lived process: runs a crash left unfinished go on here, unless
            // their owner still lives (another server on the same file) or this server only watches.
            var engine = app.Services.GetRequiredService<WeftEngine>();
            if (options.ReadOnly)
            {
                var unfinished = await engine.FindUnfinishedRunsAsync(ct).ConfigureAwait(false);
                io.Out.WriteLine($"read-only: {unfinished.Count} unfinished run(s) in {choice.Describe()} left as they are");
            }
            else
            {
                var result = await engine.TakeUpOrphanedRunsAsync(ct).ConfigureAwait(false);
                foreach (var runId in result.TakenUp)
                {
                    io.Out.WriteLine($"resumed unfinished run {runId} from {choice.Describe()}");
                }

                foreach (var (runId, owner) in result.LeftToOwners)
                {
                    io.Out.WriteLine($"left unfinished run {runId} to {OwnerNames.Describe(owner.Name)}, which is running it");
                }

                foreach (var (runId, reason) in result.NotTakenUp)
                {
                    io.Error.WriteLine($"warning: unfinished run {runId} was not resumed: {reason}");
                }
            }

            io.Out.Flush();
            await app.WaitForShutdownAsync(ct).ConfigureAwait(false);
            return ExitCodes.Succeeded;
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
