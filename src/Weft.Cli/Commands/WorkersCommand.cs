using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Weft.Cli.Output;
using Weft.Cli.Remote;
using Weft.Cluster;
using Weft.Storage;

namespace Weft.Cli.Commands;

/// <summary><c>weft workers [--store postgres://…] [--json]</c>: the cluster's registered workers with
/// their queues, tags, slots and last heartbeat; a worker is shown as lost exactly when the scheduler
/// takes its tasks back: its own dead-after (<c>weft worker --dead-after</c>) passed since its last
/// heartbeat, judged by the store on the database's clock. With <c>--server</c>, the server's
/// <c>GET /api/workers</c>.</summary>
internal static class WorkersCommand
{
    public static Command Create(CliIo io)
    {
        var store = new Option<string?>("--store")
        {
            Description = $"The cluster's store (postgres://…). Default: ${StoreChoice.Variable}.",
            HelpName = "STORE",
        };
        var transport = new Option<string?>("--transport")
        {
            Description = $"The workers of a cluster on NATS JetStream: nats://[user:pass@]host:4222, as they report themselves in its weft-workers bucket. Default (without --store): ${TransportChoice.Variable}, else transport: in the configuration.",
            HelpName = "URL",
        };
        var transportCreds = TransportCredentials.CredsOption();
        var transportNKey = TransportCredentials.NKeyOption();
        var transportPrefix = TransportPrefix.Option();
        var json = new Option<bool>("--json")
        {
            Description = "Print a JSON array: [{name, host, pid, queues, tags, slots, startedAt, heartbeatAt, leaseUntil, state}].",
        };
        var command = new Command("workers", """
            List the worker processes of a cluster: name, host, queues, tags, slots, last heartbeat and
            state (alive; lost: no heartbeat within its --dead-after, so the scheduler runs its tasks
            again elsewhere; stopped: it exited cleanly). With --server URL, the workers of that server
            (a cluster's, or the server's own slots).

            Examples:
              weft workers --store postgres://weft@db:5432/weft
              weft workers --transport nats://127.0.0.1:4222
              weft workers --json
              weft workers --server http://127.0.0.1:5080
            """)
        {
            store,
            transport,
            transportCreds,
            transportNKey,
            transportPrefix,
            json,
        };
        var remote = new RemoteOptions().AddTo(command, store);
        command.SetAction(async (result, ct) =>
        {
            var target = remote.Target(result);
            var storeText = result.GetValue(store);
            if (target is null && (result.GetValue(transport) is not null || storeText is null))
            {
                if (CliConfiguration.Load(result, io.Error) is not { } configuration)
                {
                    return ExitCodes.InvalidInput;
                }

                var credentials = TransportCredentials.From(result, transportCreds, transportNKey, configuration);
                if (TransportChoice.TryParse(CliConfiguration.Transport(result.GetValue(transport), configuration), credentials, TransportPrefix.From(result, transportPrefix, configuration), out var transportError) is { } nats)
                {
                    var (onNats, natsExit) = await FromNatsAsync(nats, io.Error, ct).ConfigureAwait(false);
                    return onNats is null ? natsExit : Print(onNats, result.GetValue(json), io);
                }

                if (transportError is not null)
                {
                    io.Error.WriteLine($"error: {transportError}");
                    return ExitCodes.InvalidInput;
                }
            }

            return await RunAsync(storeText, target, result.GetValue(json), io, ct).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(string? storeText, RemoteTarget? target, bool json, CliIo io, CancellationToken ct)
    {
        var (workers, exit) = target is not null
            ? await RemoteWorkers.ListAsync(target, io.Error, ct).ConfigureAwait(false)
            : await FromStoreAsync(storeText, io.Error, ct).ConfigureAwait(false);
        return workers is null ? exit : Print(workers, json, io);
    }

    private static async Task<(IReadOnlyList<WorkerInfo>? Workers, int Exit)> FromNatsAsync(TransportChoice choice, TextWriter error, CancellationToken ct)
    {
        var nats = choice.ToTransport();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            return (await nats.ListWorkersAsync(bounded.Token).ConfigureAwait(false), ExitCodes.Succeeded);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is not WeftConfigurationException)
        {
            error.WriteLine(Nats.NatsCredentials.IsRefusal(ex)
                ? $"error: --transport: {Nats.NatsCredentials.RefusalMessage(nats, ex)}"
                : $"error: NATS {choice.Describe()} did not answer ({(ex is OperationCanceledException ? "no answer within 10 s" : ex.Message)})");
            return (null, ExitCodes.InvalidInput);
        }
        catch (WeftConfigurationException ex)
        {
            foreach (var message in ex.Errors)
            {
                error.WriteLine($"error: {message}");
            }

            return (null, ExitCodes.InvalidInput);
        }
    }

    private static int Print(IReadOnlyList<WorkerInfo> workers, bool json, CliIo io)
    {
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

    private static async Task<(IReadOnlyList<WorkerInfo>? Workers, int Exit)> FromStoreAsync(string? storeText, TextWriter error, CancellationToken ct)
    {
        if (StoreChoice.TryParse(storeText, out var problem) is not { } choice)
        {
            error.WriteLine($"error: {problem}");
            return (null, ExitCodes.InvalidInput);
        }

        if (!choice.IsCluster)
        {
            error.WriteLine($"error: {choice.Describe()} is not a cluster store; workers exist only in a cluster (postgres://…); or ask a server with --server URL");
            return (null, ExitCodes.InvalidInput);
        }

        try
        {
            var opened = await choice.OpenAsync(ct).ConfigureAwait(false);
            await using (opened.ConfigureAwait(false))
            {
                return (await ((IClusterStore)opened).ListWorkersAsync(ct).ConfigureAwait(false), ExitCodes.Succeeded);
            }
        }
        catch (WeftStoreException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return (null, ExitCodes.InvalidInput);
        }
    }

    private static string StateOf(WorkerInfo worker) =>
        worker.Stopped ? "stopped" : worker.Lost ? "lost" : "alive";
}
