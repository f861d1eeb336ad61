using Weft.Cli.Output;
using Weft.Definitions;
using Weft.Sqlite;

namespace Weft.Cli.Commands;

/// <summary>A local <c>weft run</c> does its start-up on one thread, one step after another: read the
/// file, open the store, submit, print the table. For a small workflow each step takes longer to load
/// its code (SQLite's native library and statements, YamlDotNet and its compiled regex, OpenSSL for the
/// definition's hash, Spectre's console and table) than to do its work. This loads the same code on
/// the second core, against throwaway inputs (an in-memory database, a built-in workflow, a discarded
/// console), while the command parses its options and reads its file, so the command's own steps find
/// it loaded. It writes no file and no output: whatever it fails at, the command does for real and
/// reports.</summary>
internal static class RunWarmUp
{
    private const string Workflow = """
        name: warm-up
        tasks:
          first:
            shell: echo first
          second:
            shell: echo second
            dependsOn: first
            retry: { maxAttempts: 2 }
        """;

    /// <summary>Starts the warm-up on a background thread when the process's command line
    /// (<paramref name="args"/>) is <c>weft run</c>; does nothing for other commands.</summary>
    public static void StartFor(string[] args, CliIo io)
    {
        if (args is ["run", ..])
        {
            // A thread of its own, not a pool thread: the engine's continuations need the pool's
            // first threads while this still runs.
            new Thread(() => Run(io)) { IsBackground = true, Name = "weft warm-up" }.Start();
        }
    }

    /// <summary>The warm-up itself, in the order the command needs it (the store is opened right
    /// after the file is read, the table comes last).</summary>
    private static void Run(CliIo io)
    {
        try
        {
            SqliteStore.WarmUp();
            _ = DefinitionJson.Hash(WorkflowLoader.Parse(Workflow, "warm-up.yaml"));
            _ = io.Ansi;
            var now = DateTimeOffset.UtcNow;
            SummaryTable.Write(CliIo.Redirected(TextWriter.Null, TextWriter.Null).Ansi, new RunSnapshot("warm-up", "warm-up", RunState.Succeeded)
            {
                StartedAt = now,
                FinishedAt = now,
                Tasks = [new TaskSnapshot("first", "shell", TaskState.Succeeded) { Attempts = 1, StartedAt = now, FinishedAt = now, Output = "first" }],
            });
        }
        catch (Exception)
        {
            // Costs nothing but the spare core's time: the command does the same work and reports it.
        }
    }
}
