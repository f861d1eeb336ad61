using System.Diagnostics;
using System.Text;
using Weft.Definitions;

namespace Weft.Tests.Definitions;

/// <summary>"Did you mean" hints stay linear in the size of the file (issue #11, item 9): 20,000
/// unknown dependencies took 163 s, each compared with every task id.</summary>
public sealed class SuggestionCostTests
{
    [Fact]
    public void Parse_20000UnknownDependencies_HintWorkIsBoundedAndTheFirstErrorsKeepTheirHints()
    {
        var text = UnknownDependencies(20_000);
        var work = Suggestions.WorkOnThisThread;
        var clock = Stopwatch.StartNew();

        var errors = Loading.Errors(text);

        clock.Stop();
        work = Suggestions.WorkOnThisThread - work;
        Assert.True(work <= SuggestionBudget.DefaultSteps, $"{work} comparison steps");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}"); // 163 s before; well under 1 s after
        Assert.Equal("task 't0' depends on unknown task 'u0' (did you mean 't0'?)", errors[0].Message);
        Assert.Equal("… and 19900 more errors (only the first 100 are listed)", errors[^1].Message);
    }

    [Fact]
    public void Parse_FourTimesTheUnknownNames_NoMoreHintWorkOnceTheBudgetIsReached()
    {
        var small = HintWork(UnknownDependencies(100));
        var medium = HintWork(UnknownDependencies(2_000));
        var large = HintWork(UnknownDependencies(8_000));

        // Unbounded, the work grows with names × errors: 16 times from 2,000 to 8,000 names.
        Assert.True(small < SuggestionBudget.DefaultSteps / 10, $"100 names: {small} steps");
        Assert.True(medium <= SuggestionBudget.DefaultSteps && large <= SuggestionBudget.DefaultSteps, $"2,000 names: {medium} steps, 8,000 names: {large} steps");
    }

    [Theory]
    [InlineData("extract", "extrcat", "extract")] // swapped neighbours
    [InlineData("download", "downlod", "download")]
    [InlineData("q", "p", null)]
    [InlineData("transform", "xxxxxxxxxx", null)]
    public void Closest_FindsTypos(string known, string typed, string? expected) =>
        Assert.Equal(expected, Suggestions.Closest(typed, ["zzz", known, "other"]));

    [Fact]
    public void Closest_VeryLongNames_CostLinearNotQuadratic()
    {
        var name = new string('a', 60) + "b";
        var candidates = Enumerable.Range(0, 1000).Select(i => new string('a', 60) + (char)('c' + (i % 20))).ToList();
        var work = Suggestions.WorkOnThisThread;

        Assert.NotNull(Suggestions.Closest(name, candidates));

        // A band of 2*limit+1 cells per character: 61 × 7 per candidate, not 61 × 61.
        Assert.True(Suggestions.WorkOnThisThread - work <= 1000 * (61 * 7 + 1), $"{Suggestions.WorkOnThisThread - work} steps");
    }

    private static long HintWork(string text)
    {
        var work = Suggestions.WorkOnThisThread;
        Loading.Errors(text);
        return Suggestions.WorkOnThisThread - work;
    }

    private static string UnknownDependencies(int count)
    {
        var text = new StringBuilder("name: many\ntasks:\n");
        for (var i = 0; i < count; i++)
        {
            text.Append(FormattableString.Invariant($"  t{i}:\n    noop: {{}}\n    dependsOn: [u{i}]\n"));
        }

        return text.ToString();
    }
}
