using Weft.Cluster;
using Weft.Nats;

namespace Weft.Cli.Commands;

/// <summary><c>weft worker --transport nats://…</c>: a worker that takes its tasks from NATS JetStream and
/// needs no store (nor database credentials).</summary>
internal static partial class WorkerCommand
{
    private static async Task<int> RunOnNatsAsync(string? storeText, TransportChoice transport, ClusterWorkerOptions options, TimeSpan drain, IReadOnlyList<string> assemblies, CliIo io, CancellationToken ct, string? statsFile = null)
    {
        if (storeText is not null)
        {
            io.Error.WriteLine($"error: a worker on NATS ({transport.Describe()}) has no store: drop --store '{storeText}'; the server records the runs");
            return ExitCodes.InvalidInput;
        }

        if (!AssemblyLoader.TryRegisterAll(options.Functions, assemblies, io.Error))
        {
            return ExitCodes.InvalidInput;
        }

        using var interrupt = InterruptSignal.Register(io.Error, $"stopping: running tasks get {drain.TotalSeconds:0}s to finish (signal again to stop at once)");
        options.OnLog = message =>
        {
            io.Out.WriteLine($"{DateTimeOffset.Now:HH:mm:ss} {message}");
            io.Out.Flush();
        };
        NatsWorker worker;
        try
        {
            // Waits (retrying) for the NATS server until it answers or the worker is asked to stop;
            // a refusal of the credentials is an input error (exit 2).
            worker = await transport.ToTransport().StartWorkerAsync(options, interrupt.Token).ConfigureAwait(false);
        }
        catch (WeftConfigurationException ex)
        {
            foreach (var error in ex.Errors)
            {
                io.Error.WriteLine($"error: {error}");
            }

            return ExitCodes.InvalidInput;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Cancelled;
        }

#if WEFT_BENCH
        var stats = WorkerStatsReporter.Start(statsFile, worker);
#else
        // Only the benchmark's own worker processes pass --stats-file, and they run the same (bench) build.
        _ = statsFile;
#endif
        io.Out.WriteLine($"weft worker {options.Name} serving {string.Join(",", options.Queues)} with {options.Slots} slots on {transport.DescribeWithPrefix()}");
        io.Out.Flush();
        try
        {
            await Task.Delay(Timeout.Infinite, interrupt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop.
        }

        await worker.StopAsync(drain).ConfigureAwait(false);
#if WEFT_BENCH
        if (stats is not null)
        {
            await stats.StopAsync().ConfigureAwait(false);
        }
#endif

        io.Out.WriteLine($"weft worker {options.Name} stopped: {worker.Completed} tasks completed");
        return ExitCodes.Succeeded;
    }
}
