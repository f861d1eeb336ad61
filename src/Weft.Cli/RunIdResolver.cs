using Weft.Cli.Output;
using Weft.Storage;

namespace Weft.Cli;

/// <summary>Turns what a user typed for a run id into the run's full id: the id itself, or a unique
/// prefix of at least <see cref="MinimumPrefix"/> characters (the dashboard shows 12). Too short,
/// ambiguous or unknown is a <see cref="RunIdProblem"/>, which commands report as invalid input.</summary>
internal static class RunIdResolver
{
    public const int MinimumPrefix = 6;

    // How many candidates an ambiguous prefix lists (one more is asked for, to know there are more).
    private const int ShownCandidates = 10;

    /// <param name="exists">Whether a run has exactly this id.</param>
    /// <param name="startingWith">Runs whose id starts with the text, newest first, at most the count asked.</param>
    /// <param name="where">Where the runs are, for messages ("in sqlite:.weft/weft.db", "on http://…").</param>
    public static async Task<string> ResolveAsync(
        string given, Func<string, Task<bool>> exists, Func<string, int, Task<IReadOnlyList<RunSummary>>> startingWith, string where)
    {
        if (await exists(given).ConfigureAwait(false))
        {
            return given;
        }

        if (given.Length < MinimumPrefix)
        {
            throw new RunIdProblem(
                $"error: no run with id '{given}' {where}; a shortened run id needs at least {MinimumPrefix} characters (it has {given.Length})");
        }

        // Filtered here as well: a server too old to know the prefix filter answers with all its runs.
        var matches = (await startingWith(given, ShownCandidates + 1).ConfigureAwait(false))
            .Where(r => r.RunId.StartsWith(given, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            0 => throw new RunIdProblem($"error: no run with id '{given}' {where}"),
            1 => matches[0].RunId,
            _ => throw new RunIdProblem([
                $"error: run id '{given}' is ambiguous: {(matches.Count > ShownCandidates ? $"more than {ShownCandidates}" : matches.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))} runs {where} start with it; give more of the id:",
                .. matches.Take(ShownCandidates).Select(r => TerminalText.Clean(
                    $"  {r.RunId}  {r.Workflow}  {r.State.ToName()}  {RunListTable.Time(r.SubmittedAt, TimeZoneInfo.Local)}")),
            ]),
        };
    }

    /// <summary>Resolves against a store named <paramref name="storeName"/> ("sqlite:PATH").</summary>
    public static Task<string> ResolveAsync(IWeftStore store, string given, string storeName, CancellationToken ct) =>
        ResolveAsync(
            given,
            async id => await store.GetRunAsync(id, ct).ConfigureAwait(false) is not null,
            async (prefix, count) => await store.ListRunsAsync(new RunQuery { IdPrefix = prefix, Limit = count }, ct).ConfigureAwait(false),
            "in " + storeName);
}

/// <summary>A run id that names no run, or more than one: exit 2 with <see cref="Lines"/>.</summary>
internal sealed class RunIdProblem(IReadOnlyList<string> lines) : Exception(string.Join(Environment.NewLine, lines))
{
    public RunIdProblem(string line)
        : this([line])
    {
    }

    public IReadOnlyList<string> Lines { get; } = lines;

    public int Report(TextWriter error)
    {
        foreach (var line in Lines)
        {
            error.WriteLine(line);
        }

        return ExitCodes.InvalidInput;
    }
}
