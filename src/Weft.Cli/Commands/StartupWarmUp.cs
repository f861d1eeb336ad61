using System.Text.Json;
using NATS.Net;
using Weft.Cli.Output;
using Weft.Definitions;
using Weft.Nats;
using Weft.Sqlite;
using Weft.Storage;

namespace Weft.Cli.Commands;

/// <summary>A command's start-up runs on one thread, one step after another, and for a small piece of
/// work each step takes longer to load its code than to do its work: a local <c>weft run</c> reads the
/// file (YamlDotNet and its compiled regex), opens the store (SQLite's native library and statements),
/// submits (the definition's encoding: SHA-256 through OpenSSL, Brotli) and prints the table (Spectre); a <c>weft worker</c> on
/// NATS builds its client (NATS.Net) and reads the first definition it is sent (the JSON reader). This
/// loads the same code on the second core, against throwaway inputs (an in-memory database, built-in
/// workflows, a discarded console, a client that never connects), while the command parses its options,
/// reads its file or connects, so that the command's own steps find it loaded. It writes no file, sends
/// nothing and prints nothing: whatever it fails at, the command does for real and reports.</summary>
internal static class StartupWarmUp
{
    private const string YamlWorkflow = """
        name: warm-up
        tasks:
          first:
            shell: echo first
          second:
            shell: echo second
            dependsOn: first
            retry: { maxAttempts: 2 }
        """;

    // As a worker receives definitions: JSON (DefinitionJson), read by the same loader.
    private const string JsonWorkflow = """
        {"name":"warm-up","tasks":{"first":{"shell":"echo first"},"second":{"shell":"echo second","dependsOn":["first"],"retry":{"maxAttempts":2}}}}
        """;

    private const string TaskMessageJson = """
        {"runId":"warm-up","taskId":"first","attempt":1,"queue":"default","definitionHash":"0"}
        """;

    /// <summary>Starts the warm-up on a background thread for the command of the process's command line
    /// (<paramref name="args"/>): <c>weft run</c>, or <c>weft worker</c>; nothing for other commands.</summary>
    public static void StartFor(string[] args, CliIo io)
    {
        Action? steps = args switch
        {
            ["run", ..] => () => Run(io, StoreOf(args)),
            ["worker", ..] => () => Worker(OnNats(args)),
            _ => null,
        };
        if (steps is not null)
        {
            // A thread of its own, not a pool thread: the command's continuations need the pool's first
            // threads while this still runs.
            new Thread(() => Quietly(steps)) { IsBackground = true, Name = "weft warm-up" }.Start();
        }
    }

    /// <summary>Which store a <c>weft run</c> will open, as far as its command line says.</summary>
    private enum RunStore
    {
        /// <summary>SQLite: named, or the default (a configuration file naming another store is not read here).</summary>
        Sqlite,

        /// <summary>Another durable store (PostgreSQL): it encodes the definition, it does not load SQLite.</summary>
        OtherDurable,

        /// <summary><c>--store memory</c> or <c>--server</c>: no store of this process encodes anything.</summary>
        None,
    }

    /// <summary>In the order the command needs it: the store is opened right after the file is read,
    /// the table comes last. Only what the run's store will load: SQLite loaded for a run that does not
    /// open it would only slow the command's own thread, which loads code at the same moment.</summary>
    private static void Run(CliIo io, RunStore store)
    {
        if (store == RunStore.Sqlite)
        {
            SqliteStore.WarmUp();
        }

        var workflow = WorkflowLoader.Parse(YamlWorkflow, "warm-up.yaml");
        if (store != RunStore.None)
        {
            // As a store encodes a submitted definition: streamed JSON, SHA-256 on the way, Brotli past the threshold.
            _ = new DefinitionCache().Encode(workflow, new BlobCodec(new SqliteStoreOptions().CompressionThreshold, key: null));
        }

        _ = io.Ansi;
        var now = DateTimeOffset.UtcNow;
        SummaryTable.Write(CliIo.Redirected(TextWriter.Null, TextWriter.Null).Ansi, new RunSnapshot("warm-up", "warm-up", RunState.Succeeded)
        {
            StartedAt = now,
            FinishedAt = now,
            Tasks = [new TaskSnapshot("first", "shell", TaskState.Succeeded) { Attempts = 1, StartedAt = now, FinishedAt = now, Output = "first" }],
        });
    }

    /// <summary>The client first (the worker's next step), then what its first task needs.</summary>
    private static void Worker(bool onNats)
    {
        if (onNats)
        {
            // Built, never connected: no address is dialled.
            var client = NatsSetup.Connect("nats://127.0.0.1:4222", "weft-warm-up");
            _ = client.CreateJetStreamContext();
            _ = client.CreateKeyValueStoreContext();
            client.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _ = JsonSerializer.Deserialize(TaskMessageJson, NatsJson.Default.TaskMessage);
        }

        _ = WorkflowLoader.Parse(JsonWorkflow, "warm-up.json");
    }

    /// <summary>Whether the worker's command line or environment names a NATS transport (a configuration
    /// file's is not looked for here: the warm-up then only skips the client).</summary>
    private static bool OnNats(string[] args) =>
        args.Any(a => a.Contains("nats://", StringComparison.OrdinalIgnoreCase) || a.Contains("tls://", StringComparison.OrdinalIgnoreCase))
        || Environment.GetEnvironmentVariable("WEFT_TRANSPORT") is { Length: > 0 };

    /// <summary>The store of a <c>weft run</c> command line: <c>--server</c> (none of its own), or
    /// <c>--store VALUE</c> / <c>--store=VALUE</c>, or <c>WEFT_STORE</c>.</summary>
    private static RunStore StoreOf(string[] args)
    {
        string? store = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--server" || args[i].StartsWith("--server=", StringComparison.Ordinal))
            {
                return RunStore.None;
            }

            if (args[i] == "--store" && i + 1 < args.Length)
            {
                store = args[i + 1];
            }
            else if (args[i].StartsWith("--store=", StringComparison.Ordinal))
            {
                store = args[i]["--store=".Length..];
            }
        }

        // As the command reads it (null: WEFT_STORE, else SQLite); a value it refuses is its to report.
        return StoreChoice.TryParse(store, out _)?.Kind switch
        {
            StoreKind.Memory => RunStore.None,
            StoreKind.Postgres => RunStore.OtherDurable,
            _ => RunStore.Sqlite,
        };
    }

    private static void Quietly(Action steps)
    {
        try
        {
            steps();
        }
        catch (Exception)
        {
            // Costs nothing but the spare core's time: the command does the same work and reports it.
        }
    }
}
