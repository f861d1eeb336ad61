using System.CommandLine;
using Weft.Cluster;
using Weft.Storage;

namespace Weft.Cli.Commands;

/// <summary><c>weft worker --store postgres://… [--slots 8] [--queues default,gpu] [--tags a,b] [--name w1]
/// [--assembly X.dll]</c>: a worker process of a cluster. Claims tasks from the store's queue, runs them,
/// records their outcomes, until SIGINT/SIGTERM, then stops gracefully (running tasks get
/// <c>--drain</c> to finish; the rest are handed back and run again elsewhere).</summary>
internal static partial class WorkerCommand
{
    public static Command Create(CliIo io)
    {
        var store = new Option<string?>("--store")
        {
            Description = $"The cluster's store: postgres://user:pass@host:5432/db[?schema=weft] or Host=…;Database=…. Default: ${StoreChoice.Variable}.",
            HelpName = "STORE",
        };
        var transport = new Option<string?>("--transport")
        {
            Description = $"Take tasks from NATS JetStream instead of a store: nats://[user:pass@]host:4222 (the server runs with the same --transport). A worker on NATS has no --store. Default: ${TransportChoice.Variable}, else transport: in the configuration.",
            HelpName = "URL",
        };
        var transportCreds = TransportCredentials.CredsOption();
        var transportNKey = TransportCredentials.NKeyOption();
        var transportPrefix = TransportPrefix.Option();
        var slots = new Option<int>("--slots") { Description = "Tasks this worker runs at once. Default 8.", DefaultValueFactory = _ => 8 };
        slots.InRange(1, 4096);
        var queues = new Option<string?>("--queues") { Description = "Comma-separated queues to serve (a task's queue: field). Default: default.", HelpName = "LIST" };
        var tags = new Option<string?>("--tags") { Description = "Comma-separated labels this worker advertises (e.g. gpu,eu-west).", HelpName = "LIST" };
        var name = new Option<string?>("--name") { Description = "Unique worker name. Default HOST-PID.", HelpName = "NAME" };
        var drain = new Option<int>("--drain") { Description = "Seconds running tasks get to finish when the worker is stopped. Default 30.", DefaultValueFactory = _ => 30 };
        drain.InRange(0, 86_400);
        var heartbeat = new Option<double>("--heartbeat")
        {
            Description = "Seconds between the worker's heartbeats (lease renewals). Default 5; must be less than --dead-after.",
            DefaultValueFactory = _ => 5,
            HelpName = "SECONDS",
        };
        var deadAfter = new Option<double>("--dead-after")
        {
            Description = "Seconds without a heartbeat after which the scheduler presumes this worker dead and runs its tasks again elsewhere. Default 30.",
            DefaultValueFactory = _ => 30,
            HelpName = "SECONDS",
        };
        var assemblies = new Option<string[]>("--assembly")
        {
            Description = "A .NET assembly whose [WeftFunction] methods function: tasks may call; repeat for more.",
            HelpName = "path.dll",
        };
        var plugin = Plugins.PluginOption.Create();
        var command = new Command("worker", """
            Run a worker process of a Weft cluster: it claims tasks queued by the cluster's scheduler
            (weft server --store postgres://…) and runs them. Stop it with Ctrl+C or SIGTERM.

            Examples:
              weft worker --store postgres://weft:secret@db:5432/weft
              weft worker --store "$WEFT_STORE" --slots 32 --queues default,gpu --name gpu-1
              weft worker --store "$WEFT_STORE" --heartbeat 2 --dead-after 10   # notice a dead worker sooner
              weft worker --transport nats://127.0.0.1:4222 --slots 8 --queues default,gpu --name w1
              weft worker --transport nats://nats.internal:4222 --transport-creds /etc/weft/worker.creds
              weft worker --store "$WEFT_STORE" --plugin plugins/MyKinds.dll   # runs the plug-in's kinds too
            """)
        {
            store,
            transport,
            transportCreds,
            transportNKey,
            transportPrefix,
            slots,
            queues,
            tags,
            name,
            drain,
            heartbeat,
            deadAfter,
            assemblies,
            plugin,
        };

        // For a cluster weft bench: the worker's store counters and first claim, kept in a file.
        var statsFile = new Option<string?>("--stats-file") { Hidden = true };
        command.Options.Add(statsFile);
        command.SetAction((result, ct) =>
        {
            // Checked here, not by a validator: a validator does not see the options' defaults.
            if (Lease(result.GetValue(heartbeat), result.GetValue(deadAfter)) is { } problem)
            {
                io.Error.WriteLine($"error: {problem}");
                return Task.FromResult(ExitCodes.InvalidInput);
            }

            var options = new ClusterWorkerOptions
            {
                Slots = result.GetValue(slots),
                HeartbeatEvery = TimeSpan.FromSeconds(result.GetValue(heartbeat)),
                LeaseFor = TimeSpan.FromSeconds(result.GetValue(deadAfter)),
            };
            if (result.GetValue(name) is { } n)
            {
                options.Name = n;
            }

            if (List(result.GetValue(queues)) is { Count: > 0 } q)
            {
                options.Queues.Clear();
                foreach (var queue in q)
                {
                    options.Queues.Add(queue);
                }
            }

            foreach (var tag in List(result.GetValue(tags)))
            {
                options.Tags.Add(tag);
            }

            // weft.yaml gives the store and plugins: when the flags do not, and the container runtime.
            if (CliConfiguration.Load(result, io.Error) is not { } configuration)
            {
                return Task.FromResult(ExitCodes.InvalidInput);
            }

            configuration.Settings.Containers.CopyTo(options.Containers);
            IReadOnlyList<string> plugins = result.GetValue(assemblies) ?? [];

            // sql: over the configured connections and the plug-ins' kinds run here as on an engine's slots.
            if (Plugins.TaskKinds.Load(configuration, Plugins.PluginOption.Paths(result, plugin, configuration), io.Error) is not { } kinds)
            {
                return Task.FromResult(ExitCodes.InvalidInput);
            }

            kinds.AddTo(options.Handlers);
            if (!kinds.RegisterFunctions(options.Functions, io.Error))
            {
                return ClosingAsync(kinds, Task.FromResult(ExitCodes.InvalidInput));
            }

            var credentials = TransportCredentials.From(result, transportCreds, transportNKey, configuration);
            if (TransportChoice.TryParse(CliConfiguration.Transport(result.GetValue(transport), configuration), credentials, TransportPrefix.From(result, transportPrefix, configuration), out var transportError) is { } nats)
            {
                // A worker on NATS has no store: only a typed --store is an error, not the file's.
                return ClosingAsync(kinds, RunOnNatsAsync(result.GetValue(store), nats, options, TimeSpan.FromSeconds(result.GetValue(drain)), plugins, io, ct, result.GetValue(statsFile)));
            }

            if (transportError is not null)
            {
                io.Error.WriteLine($"error: {transportError}");
                return ClosingAsync(kinds, Task.FromResult(ExitCodes.InvalidInput));
            }

            return ClosingAsync(kinds, RunAsync(
                CliConfiguration.Store(result.GetValue(store), configuration),
                options,
                TimeSpan.FromSeconds(result.GetValue(drain)),
                plugins,
                io,
                ct,
                result.GetValue(statsFile)));
        });
        return command;
    }

    // The worker's pools close once it has stopped.
    private static async Task<int> ClosingAsync(Plugins.TaskKinds kinds, Task<int> running)
    {
        await using (kinds.ConfigureAwait(false))
        {
            return await running.ConfigureAwait(false);
        }
    }

    // Null when the heartbeat and lease fit together, else the error naming both values.
    private static string? Lease(double heartbeat, double deadAfter)
    {
        if (!double.IsFinite(heartbeat) || heartbeat <= 0 || heartbeat > 86_400)
        {
            return $"--heartbeat must be between 0 and 86400 seconds, above 0 (was {heartbeat.ToString(System.Globalization.CultureInfo.InvariantCulture)})";
        }

        if (!double.IsFinite(deadAfter) || deadAfter <= heartbeat || deadAfter > 86_400)
        {
            return $"--dead-after must be more than --heartbeat ({heartbeat.ToString(System.Globalization.CultureInfo.InvariantCulture)}) and at most 86400 seconds (was {deadAfter.ToString(System.Globalization.CultureInfo.InvariantCulture)})";
        }

        return null;
    }

    private static List<string> List(string? text) =>
        text is null ? [] : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static async Task<int> RunAsync(string? storeText, ClusterWorkerOptions options, TimeSpan drain, IReadOnlyList<string> assemblies, CliIo io, CancellationToken ct, string? statsFile = null)
    {
        if (StoreChoice.TryParse(storeText, out var problem) is not { } choice)
        {
            io.Error.WriteLine($"error: {problem}");
            return ExitCodes.InvalidInput;
        }

        if (!choice.IsCluster)
        {
            io.Error.WriteLine($"error: weft worker needs a cluster store (postgres://…), not {choice.Describe()}; embedded runs use weft run");
            return ExitCodes.InvalidInput;
        }

        if (!AssemblyLoader.TryRegisterAll(options.Functions, assemblies, io.Error))
        {
            return ExitCodes.InvalidInput;
        }

        using var interrupt = InterruptSignal.Register(io.Error, $"stopping: running tasks get {drain.TotalSeconds:0}s to finish (signal again to stop at once)");
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
        options.OnLog = message =>
        {
            io.Out.WriteLine($"{DateTimeOffset.Now:HH:mm:ss} {message}");
            io.Out.Flush();
        };
        ClusterWorker worker;
        var startCalled = DateTimeOffset.UtcNow;
        try
        {
            worker = await ClusterWorker.StartAsync((IClusterStore)opened, options, ct).ConfigureAwait(false);
        }
        catch (WeftConfigurationException ex)
        {
            foreach (var error in ex.Errors)
            {
                io.Error.WriteLine($"error: {error}");
            }

            return ExitCodes.InvalidInput;
        }

#if WEFT_BENCH
        var stats = WorkerStatsReporter.Start(statsFile, opened, worker, startCalled);
#else
        // Only the benchmark's own worker processes pass --stats-file, and they run the same (bench) build.
        _ = statsFile;
#endif
        io.Out.WriteLine($"weft worker {options.Name} serving {string.Join(",", options.Queues)} with {options.Slots} slots on {choice.Describe()}");
        io.Out.Flush();
        try
        {
            await Task.Delay(Timeout.Infinite, interrupt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop.
        }

        await worker.StopAsync(drain, CancellationToken.None).ConfigureAwait(false);
#if WEFT_BENCH
        if (stats is not null)
        {
            await stats.StopAsync().ConfigureAwait(false);
        }
#endif

        io.Out.WriteLine($"weft worker {options.Name} stopped: {worker.Stats.Completed} tasks completed");
        return ExitCodes.Succeeded;
    }
}
