using Weft.Cli.Commands;

namespace Weft.Tests.Commands;

/// <summary><c>--at</c> within 365 days is a start time; past it (or past what a time can hold) it is an
/// input error naming the option and the maximum, never an exception.</summary>
public sealed class NotBeforeParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_60Days_IsAStartTime()
    {
        Assert.Equal(Now.AddDays(60), NotBeforeParser.Parse("60d", Now, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("400d")]
    [InlineData("10675199d")]
    [InlineData("2030-01-01T00:00:00Z")]
    public void Parse_PastTheHorizon_IsAnInputError(string text)
    {
        Assert.Null(NotBeforeParser.Parse(text, Now, out var error));
        Assert.Contains($"--at '{text}'", error);
        Assert.Contains("365d", error);
    }
}
