using Weft.Definitions;

namespace Weft.Tests.Definitions;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("10s", 10_000)]
    [InlineData("5m", 300_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData(" 0s ", 0)]
    [InlineData("PT5M", 300_000)]
    [InlineData("P1DT2H", 93_600_000)]
    [InlineData("PT0.5S", 500)]
    [InlineData("P1W", 604_800_000)]
    public void TryParse_ValidText_ReturnsDuration(string text, long milliseconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("-5m")]
    [InlineData("5 minutes")]
    [InlineData("5min")]
    [InlineData("m5")]
    [InlineData("30m1h")]
    [InlineData("1h1h")]
    [InlineData(".5s")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1M")]
    [InlineData("P1Y")]
    [InlineData("-PT5M")]
    [InlineData("PT5M3H")]
    [InlineData("99999999999d")]
    public void TryParse_Garbage_ReturnsFalse(string? text)
    {
        Assert.False(Durations.TryParse(text!, out _));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(250, "250ms")]
    [InlineData(90_000, "1m30s")]
    [InlineData(93_600_000, "1d2h")]
    [InlineData(1_500, "1s500ms")]
    public void Format_Duration_IsShortAndReadsBack(long milliseconds, string expected)
    {
        var duration = TimeSpan.FromMilliseconds(milliseconds);

        var text = Durations.Format(duration);

        Assert.Equal(expected, text);
        Assert.True(Durations.TryParse(text, out var back));
        Assert.Equal(duration, back);
    }

    [Fact]
    public void Format_SubMillisecond_ReadsBack()
    {
        var duration = TimeSpan.FromTicks(12_345);

        Assert.True(Durations.TryParse(Durations.Format(duration), out var back));
        Assert.Equal(duration, back);
    }
}
