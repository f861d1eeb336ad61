using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Weft.Cli.Output;
using Weft.Definitions;
using Weft.Storage;
using Weft.Cli.Remote;

namespace Weft.Cli.Commands.Runs;

/// <summary><c>weft runs list [--workflow W] [--state S] [--since 1h] [--limit N] [--json]</c>.</summary>
internal static class ListRunsCommand
{
    public const int DefaultLimit = 50;

    public static Command Create(CliIo io)
    {
        var workflow = new Option<string?>("--workflow") { Description = "Only runs of this workflow (its name).", HelpName = "NAME" };
        var state = new Option<string?>("--state") { Description = $"Only runs in this state: {string.Join(", ", RunStateNames)}.", HelpName = "STATE" };
        var since = new Option<string?>("--since") { Description = "Only runs submitted since this long ago (e.g. 1h, 7d) or this time (ISO-8601).", HelpName = "AGE|TIME" };
        var limit = new Option<int>("--limit", "-n")
        {
            Description = $"At most this many runs. Default {DefaultLimit}.",
            DefaultValueFactory = _ => DefaultLimit,
        };
        limit.InRange(1, 100_000);
        var store = RunsStore.CreateOption();
        var json = new Option<bool>("--json") { Description = "Print one JSON array of {runId, workflow, state, startedAt, finishedAt, triggeredBy}, newest first." };
        var command = new Command("list", """
            List recorded runs, newest first.

            Examples:
              weft runs list
              weft runs list --state failed --since 1d
              weft runs list --workflow nightly-etl --limit 10 --json
              weft runs list --store sqlite:/var/lib/weft/weft.db
            """)
        {
            workflow,
            state,
            since,
            limit,
            store,
            json,
        };
        var remote = new RemoteOptions().AddTo(command, store);
        command.Validators.Add(r =>
        {
            if (r.GetValue(state) is { } name && !StateNames.TryParseRun(name, out _))
            {
                r.AddError($"unknown state '{name}'; use one of: {string.Join(", ", RunStateNames)}");
            }

            if (r.GetValue(since) is { } text && ParseSince(text, TimeProvider.System.GetUtcNow()) is null)
            {
                r.AddError($"--since '{text}' is neither a duration ({Durations.Examples}) nor a time (ISO-8601, e.g. 2026-11-01T00:00:00Z)");
            }
        });
        command.SetAction((result, ct) =>
        {
            var query = new RunQuery
            {
                Workflow = result.GetValue(workflow),
                State = result.GetValue(state) is { } s && StateNames.TryParseRun(s, out var parsed) ? parsed : null,
                Since = result.GetValue(since) is { } text ? ParseSince(text, TimeProvider.System.GetUtcNow()) : null,
                Limit = result.GetValue(limit),
            };
            return remote.Target(result) is { } target
                ? RemoteRuns.ListAsync(target, query, result.GetValue(json), io, ct)
                : ExecuteAsync(query, result.GetValue(store), result.GetValue(json), io, ct);
        });
        return command;
    }

    /// <summary>The names <c>--state</c> accepts, in the order of the states.</summary>
    public static IEnumerable<string> RunStateNames => Enum.GetValues<RunState>().Select(s => s.ToName());

    /// <summary>A duration back from <paramref name="now"/>, or an ISO-8601 time (UTC unless it says otherwise).</summary>
    public static DateTimeOffset? ParseSince(string text, DateTimeOffset now)
    {
        if (Durations.TryParse(text, out var age))
        {
            return age > now - DateTimeOffset.MinValue ? DateTimeOffset.MinValue : now - age;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }

    private static async Task<int> ExecuteAsync(RunQuery query, string? storeName, bool json, CliIo io, CancellationToken ct)
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
                var runs = await opened.Store.ListRunsAsync(query, ct).ConfigureAwait(false);
                if (json)
                {
                    io.Out.WriteLine(RunListJson.ToJson(runs));
                }
                else if (runs.Count == 0)
                {
                    io.Out.WriteLine($"no runs in {opened.Name} match");
                }
                else
                {
                    RunsStore.WidenWhenRedirected(io);
                    io.Ansi.Write(RunListTable.Build(runs, TimeZoneInfo.Local));
                }

                return ExitCodes.Succeeded;
            }).ConfigureAwait(false);
        }
    }
}
