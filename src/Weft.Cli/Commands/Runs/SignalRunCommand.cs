using System.CommandLine;
using System.Text.Json;
using Weft.Cli.Output;
using Weft.Cli.Remote;
using Weft.Waiting;

namespace Weft.Cli.Commands.Runs;

/// <summary><c>weft runs signal RUN TASK [--data JSON] [--reject]</c>: ends a waiting task's wait
/// (<c>wait: { signal }</c>), through the store or a server.</summary>
internal static class SignalRunCommand
{
    public static Command Create(CliIo io)
    {
        var id = new Argument<string>("RUN") { Description = "The run (its id, or a unique prefix of at least 6 characters)." };
        var task = new Argument<string>("TASK") { Description = "The waiting task (state `waiting` in `weft runs show RUN`)." };
        var data = new Option<string?>("--data")
        {
            Description = "JSON given with the signal; it becomes the task's output (e.g. '{\"version\":\"1.4\"}' or '\"yes\"').",
            HelpName = "JSON",
        };
        var reject = new Option<bool>("--reject") { Description = "Reject instead of approve: the task fails (and with it what depends on it)." };
        var store = RunsStore.CreateOption();
        var command = new Command("signal", """
            Send a signal to a waiting task (a `wait:` task, e.g. `wait: { signal: approval }`): the task
            succeeds with --data as its output, or fails with --reject. The signal is recorded with its
            time and origin (you, on this machine); the attempt history shows who ended the wait.

            With --store the signal goes through the store: the process running the run (`weft run` on
            the same SQLite file, or a cluster's scheduler) takes it within about a second; a run that no
            process runs now takes it when `weft runs resume RUN` continues it. With --server URL the
            server delivers it. A task that is not waiting is refused with its state (exit 2).

            Examples:
              weft runs signal 0192f3c4… approve --data '{"approvedBy":"ada"}'
              weft runs signal 0192f3c4… approve --reject
              weft runs signal 0192f3c4… approve --server http://127.0.0.1:5080
            """)
        {
            id,
            task,
            data,
            reject,
            store,
        };
        var remote = new RemoteOptions().AddTo(command, store);
        command.SetAction((result, ct) =>
        {
            var given = result.GetValue(data);
            if (given is not null && JsonProblem(given) is { } problem)
            {
                io.Error.WriteLine($"error: --data must be JSON (quote text as '\"text\"'): {problem}");
                return Task.FromResult(ExitCodes.InvalidInput);
            }

            var signal = new TaskSignal(result.GetValue(id)!, result.GetValue(task)!)
            {
                Data = given,
                Reject = result.GetValue(reject),
                Origin = CliOrigin.Name,
                SentAt = DateTimeOffset.UtcNow,
            };
            return remote.Target(result) is { } target
                ? RemoteAsync(target, signal, io, ct)
                : LocalAsync(result.GetValue(store), signal, io, ct);
        });
        return command;
    }

    private static string? JsonProblem(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return null;
        }
        catch (JsonException ex)
        {
            return ex.Message;
        }
    }

    private static async Task<int> LocalAsync(string? storeName, TaskSignal signal, CliIo io, CancellationToken ct)
    {
        var opened = await RunsStore.OpenAsync(storeName, io.Error, ct).ConfigureAwait(false);
        if (opened is null)
        {
            return ExitCodes.InvalidInput;
        }

        await using (opened.ConfigureAwait(false))
        {
            return await RunsStore.GuardAsync(io.Error, async () =>
            {
                var runId = await RunIdResolver.ResolveAsync(opened.Store, signal.RunId, opened.Name, ct).ConfigureAwait(false);
                try
                {
                    var sent = await SignalSender.RecordAsync(opened.Store, signal with { RunId = runId }, ct).ConfigureAwait(false);
                    io.Out.WriteLine(TerminalText.Clean(
                        $"{Action(sent)} task {sent.TaskId} of run {runId} (signal {sent.Id}); the process running the run takes it within about a second"));
                    return ExitCodes.Succeeded;
                }
                catch (Exception ex) when (ex is KeyNotFoundException or WeftTaskNotWaitingException)
                {
                    io.Error.WriteLine(TerminalText.Clean($"error: {ex.Message.Trim('"')}"));
                    return ExitCodes.InvalidInput;
                }
            }).ConfigureAwait(false);
        }
    }

    private static Task<int> RemoteAsync(RemoteTarget target, TaskSignal signal, CliIo io, CancellationToken ct) =>
        RemoteRuns.GuardAsync(target, signal.RunId, io, async client =>
        {
            var answer = await client.PostAsync(
                $"api/runs/{Uri.EscapeDataString(signal.RunId)}/tasks/{Uri.EscapeDataString(signal.TaskId)}/signal",
                new { data = signal.Data is null ? (JsonElement?)null : JsonDocument.Parse(signal.Data).RootElement, reject = signal.Reject, origin = signal.Origin },
                ct).ConfigureAwait(false);
            io.Out.WriteLine(TerminalText.Clean(
                $"{Action(signal)} task {signal.TaskId} of run {signal.RunId} (signal {answer.GetProperty("signalId").GetInt64()}); the task is {answer.GetProperty("state").GetString()}"));
            return ExitCodes.Succeeded;
        });

    private static string Action(TaskSignal signal) => signal.Reject ? "rejected" : "approved";
}
