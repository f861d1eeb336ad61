using System.CommandLine;
using System.Text.Json;
using Weft.Cli.Remote;

namespace Weft.Cli.Commands;

/// <summary><c>weft schedules list|pause|resume|trigger [NAME] --server URL</c>: the schedules of a
/// running server (the token, when needed, from <c>--token</c> or <c>WEFT_API_TOKEN</c>).</summary>
internal static class SchedulesCommand
{
    public static Command Create(CliIo io)
    {
        var command = new Command("schedules", "List, pause, resume or trigger the schedules of a Weft server.");
        command.Subcommands.Add(Build(io, "list", "List schedules with their next and last ticks.", needsName: false));
        command.Subcommands.Add(Build(io, "pause", "Stop a schedule starting runs; its ticks are skipped while paused.", needsName: true));
        command.Subcommands.Add(Build(io, "resume", "Start a paused schedule again from its next tick.", needsName: true));
        command.Subcommands.Add(Build(io, "trigger", "Start a run of a scheduled workflow now.", needsName: true));
        return command;
    }

    private static Command Build(CliIo io, string verb, string description, bool needsName)
    {
        var server = new Option<string>("--server") { Description = "The server's URL, e.g. http://127.0.0.1:5080.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the server's JSON answer." };
        var name = new Argument<string>("NAME") { Description = "The scheduled workflow's name." };
        var token = new RemoteOptions().Token;
        var command = new Command(verb, description) { server, token, json };
        if (needsName)
        {
            command.Arguments.Add(name);
        }

        command.SetAction((result, ct) => RunAsync(verb, needsName ? result.GetValue(name) : null, new RemoteTarget(result.GetRequiredValue(server), result.GetValue(token)), result.GetValue(json), io, ct));
        return command;
    }

    private static async Task<int> RunAsync(string verb, string? name, RemoteTarget server, bool json, CliIo io, CancellationToken ct)
    {
        try
        {
            using var client = server.Connect();
            var answer = name is null
                ? await client.GetAsync("api/schedules", ct).ConfigureAwait(false)
                : await client.PostAsync($"api/schedules/{Uri.EscapeDataString(name)}/{verb}", ct).ConfigureAwait(false);
            if (json)
            {
                io.Out.WriteLine(JsonSerializer.Serialize(answer, new JsonSerializerOptions { WriteIndented = true }));
            }
            else if (name is null)
            {
                foreach (var s in answer.EnumerateArray())
                {
                    io.Out.WriteLine($"{s.GetProperty("workflow").GetString(),-24} {s.GetProperty("cron").GetString(),-16} {s.GetProperty("timeZone").GetString(),-16} " +
                        $"{(s.GetProperty("paused").GetBoolean() ? "paused" : "active"),-7} next {s.GetProperty("nextTick")}");
                }
            }
            else
            {
                io.Out.WriteLine(verb == "trigger" ? $"started run {answer.GetProperty("runId").GetString()}" : $"schedule '{name}' {verb}d");
            }

            return ExitCodes.Succeeded;
        }
        catch (RemoteProblem problem)
        {
            io.Error.WriteLine($"error: {problem.Message}");
            return problem.ExitCode;
        }
    }
}
