#if WEFT_BENCH
using Weft.Bench;
#endif
using System.CommandLine;

namespace Weft.Cli.Commands;

/// <summary><c>weft bench [W1|W2|W3|W4|all] [--store memory] [--transport nats://…] [--runs N] [--json]</c>: the fixed
/// workloads of WORKLOADS.md. The options are parsed here; running them is Weft.Bench's
/// <c>BenchCommandRunner.RunAsync</c>. A build without the benchmark (Debug, see Weft.Cli.csproj) has the
/// same command, options and help, and running it says how to get a build that has it.</summary>
internal static class BenchCommand
{
    /// <summary>What <c>weft bench</c> says (exit 2) in a build without the benchmark.</summary>
    public const string NotInThisBuild = """
        error: weft bench is not in this build. A Debug build (the README's first `dotnet run`) leaves the
        benchmark out to build faster, and Debug code is not worth measuring. Use one of:
          dotnet run -c Release --project src/Weft.Cli -- bench ...
          scripts/install-weft.sh, then: weft bench ...
          dotnet publish src/Weft.Cli -r linux-x64 -o DIR, then: DIR/weft bench ...
        """;

#if WEFT_BENCH
    public static readonly IReadOnlyList<string> Workloads = BenchCommandRunner.Names;
#endif

    public static Command Create(CliIo io)
    {
        var workload = new Argument<string>("WORKLOAD")
        {
            Description = "W1 (flat), W2 (chain), W3 (layered DAG), W4 (I/O workflows), MEM (100,000 tasks, peak memory), all (those five), or, only by name: MAP10K (a map over 10,000 elements), FLAT10K (10,000 static tasks, to compare with it), MIXED (CPU and I/O phases on fixed and adaptive pools), MANY (10,000 runs of 5 tasks against one run of 50,000), MEM1M (a million tasks, peak memory).",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => "all",
        };
#if WEFT_BENCH
        workload.Validators.Add(r =>
        {
            var value = r.Tokens.Count > 0 ? r.Tokens[0].Value : "all";
            if (ExpandWorkloads(value) is null)
            {
                r.AddError($"unknown workload '{value}'; use W1, W2, W3, W4, MEM, MAP10K, FLAT10K, MIXED, MANY, MEM1M or all");
            }
        });
#endif
        var store = new Option<string>("--store") { Description = "Where runs are recorded: memory (default), sqlite:PATH, or postgres://… (this process schedules, 2 weft worker processes run the tasks, in a fresh schema dropped at the end).", DefaultValueFactory = _ => StoreChoice.Memory };
        var transport = new Option<string?>("--transport")
        {
            Description = "Run the tasks on 2 weft worker processes over NATS JetStream, nats://[user:pass@]host:4222, with --store sqlite:PATH (this process schedules, as weft server --transport does). The session's streams and buckets have a name prefix of their own (bench-<random>, or --transport-prefix), so it can run beside a live cluster on the same NATS server; it deletes them at the end. Not read from $WEFT_TRANSPORT: a benchmark runs only where its command line says.",
            HelpName = "URL",
        };
        var transportCreds = TransportCredentials.CredsOption();
        var transportNKey = TransportCredentials.NKeyOption();
        var transportPrefix = TransportPrefix.Option();
        transportPrefix.Description = "The name prefix of the session's streams, subjects and buckets on --transport (letters, digits, '-' and '_'); refused when the NATS server already holds streams under it. Default: bench-<random>, new for each session. Read from the command line only.";
        var runs = new Option<int>("--runs") { Description = "Timed runs per workload; the median is reported. Default 5.", DefaultValueFactory = _ => 5 };
        runs.InRange(1, int.MaxValue);
        var json = new Option<bool>("--json") { Description = "Print one JSON document with every result." };
        var slots = new Option<int?>("--slots") { Description = "Worker slots of the benchmark's in-process engine (default: one per core), e.g. --slots 1 to compare one slot with two. Not with a cluster store or --transport (the tasks run on worker processes there), nor for MIXED (it sizes its own pools).", HelpName = "N" };
        slots.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is { } n && n is < 1 or > 1024)
            {
                r.AddError($"--slots must be between 1 and 1024 (was {n})");
            }
        });
        var metrics = new Option<bool>("--metrics") { Description = "Listen to each engine's metrics as weft server's /metrics does (counters and the task duration and queue-wait histograms recorded as tasks move), so the figures include what exposing metrics costs." };
        var command = new Command("bench", """
            Run the fixed benchmark workloads (W1 flat, W2 chain, W3 layered DAG, W4 I/O workflows)
            through the same scheduler, queue and store as a user's run.

            Examples:
              weft bench
              weft bench W3 --runs 10
              weft bench all --store memory --json
              weft bench W1 --store postgres://weft:secret@localhost:5432/weft
              weft bench W1 --store sqlite:bench.db --transport nats://127.0.0.1:4222
            """)
        {
            workload,
            store,
            transport,
            transportCreds,
            transportNKey,
            transportPrefix,
            runs,
            json,
            metrics,
            slots,
        };
#if WEFT_BENCH
        command.SetAction((result, ct) =>
        {
            if (!TryTransport(result, transport, transportCreds, transportNKey, transportPrefix, io, out var nats))
            {
                return Task.FromResult(ExitCodes.InvalidInput);
            }

            return ExecuteAsync(
                ExpandWorkloads(result.GetValue(workload) ?? "all")!,
                result.GetValue(store) ?? StoreChoice.Memory,
                result.GetValue(runs),
                result.GetValue(json),
                io,
                ct,
                nats,
                result.GetValue(metrics),
                result.GetValue(slots));
        });
#else
        command.SetAction(_ =>
        {
            io.Error.Write(NotInThisBuild);
            return ExitCodes.InvalidInput;
        });
#endif
        return command;
    }
#if WEFT_BENCH

    /// <summary>"all" → W1..W4; one workload name (any case) → itself; anything else → null.</summary>
    public static IReadOnlyList<string>? ExpandWorkloads(string value)
    {
        if (string.Equals(value, "all", StringComparison.OrdinalIgnoreCase))
        {
            return BenchCommandRunner.AllNames;
        }

        var upper = value.ToUpperInvariant();
        return Workloads.Contains(upper) || BenchCommandRunner.Extra.Contains(upper) ? [upper] : null;
    }

    public static async Task<int> ExecuteAsync(IReadOnlyList<string> workloads, string store, int runs, bool json, CliIo io, CancellationToken ct, TransportChoice? transport = null, bool metrics = false, int? slots = null)
    {
        if (slots is not null && (transport is not null || ClusterBench.IsPostgres(store)))
        {
            io.Error.WriteLine($"error: --slots {slots} sets this process's worker slots; with {(transport is not null ? "--transport" : "--store postgres://…")} the tasks run on weft worker processes (drop --slots)");
            return ExitCodes.InvalidInput;
        }

        if (StoreChoice.Check(store) is { } storeError)
        {
            io.Error.WriteLine($"error: {storeError}");
            return ExitCodes.InvalidInput;
        }

        if (transport is not null && StoreChoice.TryParse(store, out _) is { } choice && TransportProblem(choice, transport) is { } transportError)
        {
            io.Error.WriteLine($"error: {transportError}");
            return ExitCodes.InvalidInput;
        }

        // SIGINT/SIGTERM cancel the benchmark, so a cluster bench stops its worker processes and removes its schema or NATS streams.
        using var interrupt = InterruptSignal.Register(io.Error, "stopping the benchmark… (signal again to stop at once)");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, interrupt.Token);
        IReadOnlyList<BenchResult> results;
        try
        {
            var progress = json ? TextWriter.Null : io.Error;
            if (metrics)
            {
                progress.WriteLine("metrics: each engine's are listened to as weft server's /metrics does");
            }

            results = await BenchCommandRunner.RunAsync(workloads, store, runs, progress, stop.Token, WeftExecutable.StartInfo, transport?.ToTransport(), metrics ? MetricsListening.Start : null, slots);
        }
        catch (BenchInputException ex)
        {
            io.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return ExitCodes.Cancelled;
        }

        io.Out.WriteLine(json ? BenchJson.Format(results) : BenchText.Format(results));
        return ExitCodes.Succeeded;
    }

    /// <summary><c>--metrics</c>: an engine's meter with weft server's <c>/metrics</c> exporter listening to it,
    /// as a server has them from its start.</summary>
    private sealed class MetricsListening(Weft.Monitoring.WeftMetrics metrics, Weft.Server.Monitoring.MetricsExporter exporter) : IDisposable
    {
        public static IDisposable Start(WeftEngine engine)
        {
            var metrics = new Weft.Monitoring.WeftMetrics(engine);
            var exporter = new Weft.Server.Monitoring.MetricsExporter(metrics);
            exporter.Start();
            return new MetricsListening(metrics, exporter);
        }

        public void Dispose()
        {
            exporter.Dispose();
            metrics.Dispose();
        }
    }

    // Null when the store can carry a transport; else what is wrong, naming both (as weft server says it).
    private static string? TransportProblem(StoreChoice store, TransportChoice transport) => store.Kind switch
    {
        StoreKind.Memory => $"--transport {transport.Describe()} needs a store that keeps runs (--store sqlite:PATH or postgres://…), not {store.Describe()}",
        _ => null,
    };

    /// <summary>The <c>--transport</c> the user typed (null when none), with its credentials: the flags, else
    /// the variables, else the configuration, as weft worker takes them; and its <c>--transport-prefix</c>, from
    /// the command line only (without one the session makes its own). False after writing the error.
    /// Credential or prefix flags without <c>--transport</c> are an error; credential variables are then not looked at
    /// (they are for the user's other weft commands).</summary>
    private static bool TryTransport(ParseResult result, Option<string?> transport, Option<string?> creds, Option<string?> nkey, Option<string?> prefix, CliIo io, out TransportChoice? choice)
    {
        choice = null;
        if (result.GetValue(transport) is not { } url)
        {
            var orphan = result.GetValue(creds) is { Length: > 0 } ? creds.Name : result.GetValue(nkey) is { Length: > 0 } ? nkey.Name : null;
            if (orphan is not null)
            {
                io.Error.WriteLine($"error: {orphan}: credentials for a NATS transport, but no --transport is given (--transport nats://host:4222)");
                return false;
            }

            if (result.GetValue(prefix) is { Length: > 0 })
            {
                io.Error.WriteLine($"error: {prefix.Name}: a name prefix for a NATS transport, but no --transport is given (--transport nats://host:4222)");
                return false;
            }

            return true;
        }

        if (CliConfiguration.Load(result, io.Error) is not { } configuration)
        {
            return false;
        }

        choice = TransportChoice.TryParse(url, TransportCredentials.From(result, creds, nkey, configuration), TransportPrefix.FromFlag(result, prefix), out var error);
        if (choice is null)
        {
            io.Error.WriteLine($"error: {error}");
            return false;
        }

        return true;
    }
#endif
}
