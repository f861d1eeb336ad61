using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Weft.Cli.Output;
using Weft.Cluster;
using Weft.Storage;

namespace Weft.Cli.Commands;

/// <summary><c>weft workers [--store postgres://…] [--json]</c>: the cluster's registered workers with
/// their queues, tags, slots and last heartbeat; a worker is shown as lost exactly when the scheduler
/// takes its tasks back: its own dead-after (<c>weft worker --dead-after</c>) passed since its last
/// heartbeat, judged by the store on the database's clock.</summary>
internal static class WorkersCommand
{
    public static Command Create(CliIo io)
    {
        var store = new Option<string?>("--store")
        {
            Description = $"The cluster's store (postgres://…). Default: ${StoreChoice.Variable}.",
            HelpName = "STORE",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print a JSON array: [{name, host, pid, queues, tags, slots, startedAt, heartbeatAt, leaseUntil, state}].",
        };
        var command = new Command("workers", """
            List the worker processes of a cluster: name, host, queues, tags, slots, last heartbeat and
            state (alive; lost: no heartbeat within its --dead-after, so the scheduler runs its tasks
            again elsewhere; stopped: it exited cleanly).

            Examples:
              weft workers --store postgres://weft@db:5432/weft
              weft workers --json
            """)
        {
            store,
            json,
        };
        command.SetAction((result, ct) => RunAsync(result.GetValue(store), result.GetValue(json), io, ct));
        return command;
    }

    private static async Task<int> RunAsync(string? storeText, bool json, CliIo io, CancellationToken ct)
    {
        if (StoreChoice.TryParse(storeText, out var problem) is not { } choice)
        {
            io.Error.WriteLine($"error: {problem}");
            return ExitCodes.InvalidInput;
        }

        if (!choice.IsCluster)
        {
            io.Error.WriteLine($"error: {choice.Describe()} is not a cluster store; workers exist only in a cluster (postgres://…)");
            return ExitCodes.InvalidInput;
        }

        IReadOnlyList<WorkerInfo> workers;
        try
        {
            var opened = await choice.OpenAsync(ct).ConfigureAwait(false);
            await using (opened.ConfigureAwait(false))
            {
                workers = await ((IClusterStore)opened).ListWorkersAsync(ct).ConfigureAwait(false);
            }
        }
        catch (WeftStoreException ex)
        {
            io.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }

        if (json)
        {
            var array = new JsonArray([.. workers.Select(w => (JsonNode)new JsonObject
            {
                ["name"] = w.Name,
                ["host"] = w.Host,
                ["pid"] = w.ProcessId,
                ["queues"] = new JsonArray([.. w.Queues.Select(q => (JsonNode)JsonValue.Create(q))]),
                ["tags"] = new JsonArray([.. w.Tags.Select(t => (JsonNode)JsonValue.Create(t))]),
                ["slots"] = w.Slots,
                ["startedAt"] = w.StartedAt,
                ["heartbeatAt"] = w.HeartbeatAt,
                ["leaseUntil"] = w.LeaseUntil,
                ["state"] = StateOf(w),
            })]);
            io.Out.WriteLine(array.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Succeeded;
        }

        if (workers.Count == 0)
        {
            io.Out.WriteLine("no workers have registered with this cluster");
            return ExitCodes.Succeeded;
        }

        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in new[] { "name", "host", "pid", "queues", "tags", "slots", "last heartbeat", "state" })
        {
            table.AddColumn(column);
        }

        foreach (var w in workers)
        {
            table.AddRow(
                new Text(w.Name), new Text(w.Host), new Text(w.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Text(string.Join(",", w.Queues)), new Text(string.Join(",", w.Tags)),
                new Text(w.Slots.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Text(RunListTable.Time(w.HeartbeatAt, TimeZoneInfo.Local)), new Text(StateOf(w)));
        }

        io.Ansi.Write(table);
        return ExitCodes.Succeeded;
    }

    private static string StateOf(WorkerInfo worker) =>
        worker.Stopped ? "stopped" : worker.Lost ? "lost" : "alive";
}
