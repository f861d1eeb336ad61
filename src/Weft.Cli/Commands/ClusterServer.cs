using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Weft.Cluster;
using Weft.Server;

namespace Weft.Cli.Commands;

/// <summary><c>weft server --store postgres://…</c>: a scheduler of the cluster. It runs a worker of its
/// own (unless <c>--workers 0</c>, or <c>--transport</c>: then weft worker processes on NATS run every task) at once, waits as a standby while another server leads, and once it
/// leads takes up the cluster's unfinished runs and serves the API, dashboard and metrics. If another
/// server took over while this one's lock lapsed, it stops (exit 1) so a supervisor restarts it as a standby.</summary>
internal static class ClusterServer
{
    public static async Task<int> RunAsync(
        IClusterStore store, StoreChoice choice, bool overTransport, string? workflowDir, string[] urls, WeftServerOptions options, CliIo io, CancellationToken ct)
    {
        // Over a transport the store's queue carries nothing: a worker of this process would idle on it.
        var localSlots = overTransport ? 0 : options.Workers;
        options.Workers = 1; // the scheduling engine runs no task itself
        void Log(string message)
        {
            lock (io.Out)
            {
                io.Out.WriteLine($"{DateTimeOffset.Now:HH:mm:ss} {message}");
                io.Out.Flush();
            }
        }

        using var interrupt = InterruptSignal.Register(io.Error, "stopping the server…");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, interrupt.Token);
        ClusterWorker? worker = null;
        if (localSlots > 0)
        {
            var workerOptions = new ClusterWorkerOptions { Slots = localSlots, Name = $"{Environment.MachineName}-{Environment.ProcessId}-server", OnLog = Log };
            worker = await ClusterWorker.StartAsync(store, workerOptions, ct).ConfigureAwait(false);
            Log($"worker {workerOptions.Name} running with {localSlots} slots");
        }

        try
        {
            SchedulerLeadership leadership;
            try
            {
                Log($"cluster store {choice.Describe()}; taking the lead when it is free");
                // The leader's engine is made here, not by AddWeft: it takes the server's options the same way.
                leadership = await SchedulerLeadership.AcquireAsync(store, o =>
                {
                    o.DedupWindow = options.DedupWindow;
                    o.Schedules.Enabled = options.EnableSchedules;
                    o.Schedules.Grace = options.ScheduleGrace;
                    options.ConfigureEngine?.Invoke(o); // weft.yaml: queue limit, dedup, cache, breakers…
                }, Log, cancellationToken: stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return ExitCodes.Succeeded;
            }

            await using (leadership.ConfigureAwait(false))
            {
                return await ServeAsync(leadership, store, workflowDir, urls, options, io, stop.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            if (worker is not null)
            {
                await worker.StopAsync(TimeSpan.FromSeconds(30), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> ServeAsync(
        SchedulerLeadership leadership, IClusterStore store, string? workflowDir, string[] urls, WeftServerOptions options, CliIo io, CancellationToken stop)
    {
        var (app, exit) = await ServerHost.StartAsync(
            options,
            urls,
            b =>
            {
                b.Services.AddSingleton<Storage.IWeftStore>(store);
                b.Services.AddSingleton(leadership.Engine);
            },
            workflowDir,
            io,
            stop).ConfigureAwait(false);
        if (app is null)
        {
            return exit;
        }

        await using (app.ConfigureAwait(false))
        {
            io.Out.Flush();
            using var either = CancellationTokenSource.CreateLinkedTokenSource(stop, leadership.Deposed);
            try
            {
                await app.WaitForShutdownAsync(either.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            if (leadership.Deposed.IsCancellationRequested)
            {
                io.Error.WriteLine("error: another server took over the cluster's scheduling while this one's lock had lapsed; exiting");
                return ExitCodes.Failed;
            }

            return ExitCodes.Succeeded;
        }
    }
}
