using Spectre.Console;
using Weft.Cli;
using Weft.Cli.Output;

namespace Weft.Tests.Output;

public sealed class SummaryTableTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static string Render(Action<IAnsiConsole> write)
    {
        var output = new StringWriter();
        var io = CliIo.Redirected(output, new StringWriter());
        io.Ansi.Profile.Width = 200;
        write(io.Ansi);
        return output.ToString();
    }

    [Fact]
    public void Write_ListsEveryTaskWithStateAttemptsDurationPreviewAndError()
    {
        var run = new RunSnapshot("run-7", "etl", RunState.Failed)
        {
            StartedAt = T0,
            FinishedAt = T0.AddSeconds(2),
            Tasks =
            [
                new TaskSnapshot("extract", "shell", TaskState.Succeeded)
                {
                    Attempts = 1, StartedAt = T0, FinishedAt = T0.AddMilliseconds(300), Output = "42 rows\nsecond line",
                },
                new TaskSnapshot("load", "shell", TaskState.Failed)
                {
                    Attempts = 3, StartedAt = T0, FinishedAt = T0.AddSeconds(1), Error = "connection refused [db]",
                },
                new TaskSnapshot("report", "noop", TaskState.UpstreamFailed),
            ],
        };

        var text = Render(c => SummaryTable.Write(c, run));

        Assert.Contains("extract", text, StringComparison.Ordinal);
        Assert.Contains("succeeded", text, StringComparison.Ordinal);
        Assert.Contains("0.3s", text, StringComparison.Ordinal);
        Assert.Contains("42 rows…", text, StringComparison.Ordinal);
        Assert.DoesNotContain("second line", text, StringComparison.Ordinal);
        Assert.Contains("connection refused [db]", text, StringComparison.Ordinal);
        Assert.Contains("upstream_failed", text, StringComparison.Ordinal);
        Assert.Contains("run run-7 (etl) failed in 2.0s", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ProgressView_Render_ShowsFinalOverTotalAndRunningTasks()
    {
        var run = new RunSnapshot("run-8", "etl", RunState.Running)
        {
            Tasks =
            [
                new TaskSnapshot("a", "noop", TaskState.Succeeded),
                new TaskSnapshot("b", "sleep", TaskState.Running) { Attempts = 1, StartedAt = T0 },
                new TaskSnapshot("c", "noop", TaskState.Pending),
                new TaskSnapshot("d", "noop", TaskState.Failed),
            ],
        };

        var text = Render(c => c.Write(ProgressView.Render(run, T0.AddSeconds(1.5))));

        Assert.Contains("2/4 (50%)", text, StringComparison.Ordinal);
        Assert.Contains("1 failed", text, StringComparison.Ordinal);
        Assert.Contains("1.5s", text, StringComparison.Ordinal);
        Assert.Contains(" b ", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" c ", text, StringComparison.Ordinal);
    }
}
