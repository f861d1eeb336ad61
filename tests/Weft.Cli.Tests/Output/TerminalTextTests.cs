using Weft.Cli.Output;

namespace Weft.Tests.Output;

public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("plain text\nline two\tcol", "plain text\nline two\tcol")]
    [InlineData("\u001b]0;pwned\u0007title", "\\x1b]0;pwned\\x07title")]
    [InlineData("\u001b[2Jcleared", "\\x1b[2Jcleared")]
    [InlineData("progress 10%\rprogress 20%", "progress 10%\\rprogress 20%")]
    [InlineData("windows\r\nline", "windows\nline")]
    [InlineData("c1 \u009b31m csi", "c1 \\x9b31m csi")]
    [InlineData("del\u007f nul\0", "del\\x7f nul\\x00")]
    [InlineData("txt.\u202eexe", "txt.\\u202eexe")]
    [InlineData("ünïcödé ✓ stays", "ünïcödé ✓ stays")]
    public void Clean_EscapesControlCharactersButNewlineAndTab(string text, string expected) =>
        Assert.Equal(expected, TerminalText.Clean(text));

    [Fact]
    public void Clean_ReturnsTheSameStringWhenNothingNeedsEscaping()
    {
        var text = "nothing to do here\n";

        Assert.Same(text, TerminalText.Clean(text));
    }

    [Fact]
    public void Preview_AndEventLines_AreCleaned()
    {
        Assert.Equal("\\x1b[2Jhello", TextFormat.Preview("\u001b[2Jhello"));
        var line = new EventLine(TimeZoneInfo.Utc).Format(new RunEvent(RunEventKind.TaskFailed, "r1", DateTimeOffset.UnixEpoch)
        {
            TaskId = "t",
            Error = "exit 1: \u001b]0;pwned\u0007",
        });
        Assert.NotNull(line);
        Assert.DoesNotContain('\u001b', line);
        Assert.Contains("\\x1b]0;pwned\\x07", line, StringComparison.Ordinal);
    }
}
