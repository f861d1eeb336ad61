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
            ["run", ..] => () => Run(io, local: !ToServer(args)),
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

    /// <summary>In the order the command needs it: the store is opened right after the file is read,
    /// the table comes last. A run sent to a server (<paramref name="local"/> false) opens no store and
    /// encodes nothing: loading SQLite then would only slow the command's own thread, which loads code
    /// at the same moment.</summary>
    private static void Run(CliIo io, bool local)
    {
        if (local)
        {
            SqliteStore.WarmUp();
            // As a store encodes a submitted definition: streamed JSON, SHA-256 on the way, Brotli past the threshold.
            _ = new DefinitionCache().Encode(WorkflowLoader.Parse(YamlWorkflow, "warm-up.yaml"), new BlobCodec(new SqliteStoreOptions().CompressionThreshold, key: null));
        }
        else
        {
            _ = WorkflowLoader.Parse(YamlWorkflow, "warm-up.yaml");
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

    /// <summary>Whether <c>weft run</c> sends its run to a server (<c>--server URL</c> or <c>--server=URL</c>).</summary>
    private static bool ToServer(string[] args) =>
        args.Any(a => a == "--server" || a.StartsWith("--server=", StringComparison.Ordinal));

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
