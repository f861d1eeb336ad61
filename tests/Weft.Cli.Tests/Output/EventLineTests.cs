using Weft.Cli.Output;

namespace Weft.Tests.Output;

public sealed class EventLineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 1, TimeSpan.Zero);

    private static RunEvent Task(RunEventKind kind, string id, double atSeconds, int attempt = 1) =>
        new(kind, "run-1", T0.AddSeconds(atSeconds)) { TaskId = id, Attempt = attempt };

    [Fact]
    public void Format_SucceededAfterStarted_ShowsTickAndDuration()
    {
        var lines = new EventLine(TimeZoneInfo.Utc);

        Assert.Equal("12:00:01 ▶ extract started", lines.Format(Task(RunEventKind.TaskStarted, "extract", 0)));
        Assert.Equal("12:00:01 ✓ extract (0.3s)", lines.Format(Task(RunEventKind.TaskSucceeded, "extract", 0.3)));
    }

    [Fact]
    public void Format_Failed_ShowsCrossAndError()
    {
        var lines = new EventLine(TimeZoneInfo.Utc);
        lines.Format(Task(RunEventKind.TaskStarted, "load", 0));

        var line = lines.Format(Task(RunEventKind.TaskFailed, "load", 2) with { Error = "exit code 3\nstack…" });

        Assert.Equal("12:00:03 ✗ load (2.0s): exit code 3…", line);
    }

    [Fact]
    public void Format_Retrying_ShowsDelay()
    {
        var lines = new EventLine(TimeZoneInfo.Utc);

        var line = lines.Format(Task(RunEventKind.TaskRetrying, "call", 1) with { RetryDelay = TimeSpan.FromSeconds(2) });

        Assert.Equal("12:00:02 ↻ call retrying in 2.0s", line);
    }

    [Fact]
    public void Format_SecondAttemptStarted_SaysWhichAttempt() =>
        Assert.Equal("12:00:01 ▶ call started (attempt 2)", new EventLine(TimeZoneInfo.Utc).Format(Task(RunEventKind.TaskStarted, "call", 0, attempt: 2)));

    [Fact]
    public void Format_Queued_IsLeftOut() =>
        Assert.Null(new EventLine(TimeZoneInfo.Utc).Format(Task(RunEventKind.TaskQueued, "x", 0)));

    [Fact]
    public void Format_RunFinished_ShowsSnakeCaseState()
    {
        var e = new RunEvent(RunEventKind.RunFinished, "run-1", T0) { RunState = RunState.TimedOut };

        Assert.Equal("12:00:01 ■ run run-1 timed_out", new EventLine(TimeZoneInfo.Utc).Format(e));
    }

    [Fact]
    public void Format_UsesTheGivenTimeZone()
    {
        var plusTwo = TimeZoneInfo.CreateCustomTimeZone("plus2", TimeSpan.FromHours(2), "plus2", "plus2");

        Assert.StartsWith("14:00:01 ", new EventLine(plusTwo).Format(Task(RunEventKind.TaskStarted, "a", 0)), StringComparison.Ordinal);
    }
}
