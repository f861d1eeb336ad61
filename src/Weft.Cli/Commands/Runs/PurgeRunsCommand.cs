using System.CommandLine;
using System.Globalization;
using Weft.Definitions;
using Weft.Cli.Remote;

namespace Weft.Cli.Commands.Runs;

/// <summary><c>weft runs purge --older-than 30d</c>.</summary>
internal static class PurgeRunsCommand
{
    public static Command Create(CliIo io)
    {
        var olderThan = new Option<string>("--older-than")
        {
            Description = $"Delete finished runs that finished longer ago than this ({Durations.Examples}).",
            HelpName = "AGE",
            Required = true,
        };
        var store = RunsStore.CreateOption();
        var command = new Command("purge", """
            Delete finished runs (with their tasks, attempts and outputs) that finished longer ago than
            --older-than. Unfinished runs are never deleted. Prints how many runs were deleted.
            Local stores only: there is no --server variant (the server's API does not purge).

            Examples:
              weft runs purge --older-than 30d
              weft runs purge --older-than 12h --store sqlite:/var/lib/weft/weft.db
            """)
        {
            olderThan,
            store,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(olderThan) is { } text && !Durations.TryParse(text, out _))
            {
                r.AddError($"--older-than '{text}' is not a duration; use e.g. {Durations.Examples}");
            }
        });
        command.SetAction((result, ct) =>
        {
            Durations.TryParse(result.GetValue(olderThan), out var age);
            return ExecuteAsync(age, result.GetValue(store), io, ct);
        });
        return command;
    }

    private static async Task<int> ExecuteAsync(TimeSpan age, string? storeName, CliIo io, CancellationToken ct)
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
                var now = TimeProvider.System.GetUtcNow();
                var before = age > now - DateTimeOffset.MinValue ? DateTimeOffset.MinValue : now - age;
                var purged = await opened.Store.PurgeAsync(before, ct).ConfigureAwait(false);
                io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"purged {purged} run(s) that finished before {before:yyyy-MM-ddTHH:mm:ssZ} from {opened.Name}"));
                return ExitCodes.Succeeded;
            }).ConfigureAwait(false);
        }
    }
}
