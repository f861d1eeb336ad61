using Weft.Cli.Output;

namespace Weft.Tests.Output;

public sealed class TextFormatTests
{
    [Theory]
    [InlineData(300, "0.3s")]
    [InlineData(0, "0.0s")]
    [InlineData(12_040, "12.0s")]
    [InlineData(125_000, "2m 05s")]
    [InlineData(3_720_000, "1h 02m")]
    [InlineData(-5, "0.0s")]
    public void Duration_IsShortAndReadable(int milliseconds, string expected) =>
        Assert.Equal(expected, TextFormat.Duration(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void Duration_Null_IsEmpty() => Assert.Equal("", TextFormat.Duration(null));

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("  \n ", "")]
    [InlineData("hello", "hello")]
    [InlineData("\n  first line  \r\nsecond", "first line…")]
    public void Preview_TakesTheFirstNonEmptyLine(string? text, string expected) =>
        Assert.Equal(expected, TextFormat.Preview(text));

    [Fact]
    public void Preview_LongLine_IsCutToSixtyCharactersWithEllipsis()
    {
        var preview = TextFormat.Preview(new string('x', 200));

        Assert.Equal(60, preview.Length);
        Assert.EndsWith("…", preview, StringComparison.Ordinal);
    }

    [Fact]
    public void Preview_ExactlySixty_IsKept() =>
        Assert.Equal(new string('y', 60), TextFormat.Preview(new string('y', 60)));
}
