using System.CommandLine;
using Weft.Cli.Output;
using Weft.Cli.Remote;
using Weft.Sqlite;
using Weft.Storage;

namespace Weft.Cli.Commands;

/// <summary><c>weft status [--store STORE] [--json]</c>: the health of the engine over a store and
/// what the store holds (runs by state, unfinished runs).</summary>
internal static class StatusCommand
{
    public static Command Create(CliIo io)
    {
        var store = new Option<string?>("--store")
        {
            Description = $"The store to look at: sqlite:PATH, sqlite (= {StoreChoice.DefaultSqlitePath}, the default) or memory. Default: ${StoreChoice.Variable}, else sqlite.",
            HelpName = "STORE",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON document and nothing else." };
        var command = new Command("status", """
            Show health (healthy, degraded or unhealthy, with reasons), worker slots, queue depth by
            priority, throughput, memory, circuit breakers, and the runs the store holds by state.

            Examples:
              weft status
              weft status --json
              weft status --store sqlite:/var/lib/weft/weft.db
              weft status --server http://127.0.0.1:5080 --json
            """)
        {
            store,
            json,
        };
        var remote = new RemoteOptions().AddTo(command, store);
        command.SetAction((r, ct) => remote.Target(r) is { } target
            ? RemoteStatus.ExecuteAsync(target, r.GetValue(json), io, ct)
            : CliConfiguration.Load(r, io.Error) is { } configuration
                ? ExecuteAsync(r.GetValue(store), r.GetValue(json), io, ct, configuration)
                : Task.FromResult(ExitCodes.InvalidInput));
        return command;
    }

    // The configuration gives the named SQL connections whose pools the status lists (unused here: all zero).
    private static async Task<int> ExecuteAsync(string? store, bool json, CliIo io, CancellationToken ct, Configuration.WeftConfiguration configuration)
    {
        var session = await EngineSession.OpenAsync(store, RunRequest.DefaultWorkers, io.Error, ct, configuration).ConfigureAwait(false);
        if (session is null)
        {
            return ExitCodes.InvalidInput;
        }

        await using (session.ConfigureAwait(false))
        {
            var status = await WithMachineCpuAsync(session.Engine.GetStatus(), ct).ConfigureAwait(false);
            IReadOnlyDictionary<RunState, int> counts = new Dictionary<RunState, int>();
            IReadOnlyList<string> unfinished = [];
            try
            {
                // An engine just opened has touched little of the file: ask the store itself.
                if (session.Store is SqliteStore sqlite)
                {
                    await sqlite.CheckIntegrityAsync(ct).ConfigureAwait(false);
                }

                counts = await session.Store.CountRunsByStateAsync(ct).ConfigureAwait(false);
                unfinished = await session.Engine.FindUnfinishedRunsAsync(ct).ConfigureAwait(false);
            }
            catch (WeftStoreException ex)
            {
                // Still a status: unhealthy, with the store's error as the reason (and exit 2, as
                // every command given an unusable store).
                status = status with
                {
                    Health = HealthState.Unhealthy,
                    Reasons = [$"the store is failing: {ex.Message}", .. status.Reasons],
                    StoreError = ex.Message,
                };
                io.Error.WriteLine($"error: {ex.Message}");
            }

            var report = new StatusReport(status, session.Choice.Describe(), counts, unfinished);
            io.Out.WriteLine(json ? StatusJson.ToJson(report) : StatusText.Format(report));
            return status.StoreError is null && session.Engine.StoreFailure is null ? ExitCodes.Succeeded : ExitCodes.InvalidInput;
        }
    }

    /// <summary>An engine just opened has not sampled the machine yet: measure its CPU over a quarter
    /// of a second, as <c>top</c> does between two screens.</summary>
    private static async Task<EngineStatus> WithMachineCpuAsync(EngineStatus status, CancellationToken ct)
    {
        if (status.CpuBusy is not null)
        {
            return status;
        }

        var window = TimeSpan.FromMilliseconds(250);
        var meter = new Monitoring.SystemCpuMeter();
        meter.Next();
        var before = Environment.CpuUsage.TotalTime;
        await Task.Delay(window, ct).ConfigureAwait(false);
        var machine = meter.Next();
        var process = (Environment.CpuUsage.TotalTime - before) / (window * Environment.ProcessorCount);
        return status with { CpuBusy = machine?.Busy, CpuIoWait = machine?.IoWait, ProcessCpu = Math.Clamp(process, 0, 1) };
    }
}

/// <summary>What <c>weft status</c> shows: the engine's snapshot and the store's contents.</summary>
internal sealed record StatusReport(EngineStatus Engine, string Store, IReadOnlyDictionary<RunState, int> Runs, IReadOnlyList<string> Unfinished);
