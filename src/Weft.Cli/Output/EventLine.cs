using System.Globalization;

namespace Weft.Cli.Output;

/// <summary>One plain line per run event, for output that is not a terminal (CI logs, pipes):
/// <c>12:00:01 ✓ extract (0.3s)</c>. Queued events are left out; they are noise in a log.</summary>
internal sealed class EventLine(TimeZoneInfo zone)
{
    private readonly Dictionary<string, DateTimeOffset> _started = new(StringComparer.Ordinal);

    /// <summary>The line for <paramref name="e"/> (safe for a terminal), or null when the event is not worth a line.</summary>
    public string? Format(RunEvent e) => Compose(e) is { } line ? TerminalText.Clean(line) : null;

    private string? Compose(RunEvent e)
    {
        var time = TimeZoneInfo.ConvertTime(e.At, zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        if (e.TaskId is null)
        {
            return e.Kind switch
            {
                RunEventKind.RunStarted => $"{time} ▶ run {e.RunId} started",
                RunEventKind.RunFinished => $"{time} ■ run {e.RunId} {e.RunState?.ToName() ?? "finished"}",
                _ => null,
            };
        }

        if (e.Kind == RunEventKind.TaskStarted)
        {
            _started[e.TaskId] = e.At;
            var attempt = e.Attempt > 1 ? $" (attempt {e.Attempt})" : "";
            return $"{time} ▶ {e.TaskId} started{attempt}";
        }

        var symbol = e.Kind switch
        {
            RunEventKind.TaskSucceeded => "✓",
            RunEventKind.TaskFailed => "✗",
            RunEventKind.TaskTimedOut => "⏱",
            RunEventKind.TaskRetrying => "↻",
            RunEventKind.TaskCancelled => "⊘",
            RunEventKind.TaskSkipped => "↷",
            RunEventKind.TaskUpstreamFailed => "⊘",
            _ => null,
        };
        if (symbol is null)
        {
            return null;
        }

        var detail = e.Kind switch
        {
            RunEventKind.TaskRetrying => $" retrying{(e.RetryDelay is { } delay ? " in " + TextFormat.Duration(delay) : "")}",
            RunEventKind.TaskSkipped => " skipped",
            RunEventKind.TaskUpstreamFailed => " upstream failed",
            RunEventKind.TaskCancelled => " cancelled",
            RunEventKind.TaskTimedOut => " timed out",
            _ => "",
        };
        var elapsed = _started.TryGetValue(e.TaskId, out var start) && e.Kind is not (RunEventKind.TaskSkipped or RunEventKind.TaskUpstreamFailed)
            ? $" ({TextFormat.Duration(e.At - start)})"
            : "";
        var error = e.Error is null ? "" : ": " + TextFormat.Preview(e.Error, 200);
        return $"{time} {symbol} {e.TaskId}{detail}{elapsed}{error}";
    }
}
