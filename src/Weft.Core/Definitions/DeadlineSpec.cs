using System.Globalization;

namespace Weft.Definitions;

/// <summary>A deadline as written in a workflow: a duration after the run was submitted
/// (<c>deadline: 15m</c>) or a point in time (<c>deadline: 2026-01-01T06:00:00Z</c>). A task whose
/// deadline nears rises in the ready queue; an overdue one goes first. Nothing is cancelled by it.</summary>
public sealed record DeadlineSpec
{
    private DeadlineSpec(TimeSpan? after, DateTimeOffset? at)
    {
        After = after;
        At = at;
    }

    /// <summary>The duration after submit; null when the deadline is a point in time.</summary>
    public TimeSpan? After { get; }

    /// <summary>The point in time; null when the deadline is relative to submit.</summary>
    public DateTimeOffset? At { get; }

    /// <summary>The hint shown next to a bad deadline.</summary>
    public static string Examples => $"a duration such as {Durations.Examples}, or a time such as 2026-01-01T06:00:00Z";

    /// <summary>A deadline <paramref name="duration"/> after the run was submitted; throws <see cref="ArgumentOutOfRangeException"/> for a negative one.</summary>
    public static DeadlineSpec AfterSubmit(TimeSpan duration) =>
        duration >= TimeSpan.Zero ? new(duration, null) : throw new ArgumentOutOfRangeException(nameof(duration), "a deadline cannot be before submit");

    /// <summary>A deadline at a fixed point in time.</summary>
    public static DeadlineSpec AtTime(DateTimeOffset time) => new(null, time);

    /// <summary>Reads a duration (see <see cref="Durations"/>) or an ISO-8601 date and time; a time
    /// without an offset is taken as UTC.</summary>
    public static bool TryParse(string? text, out DeadlineSpec? deadline)
    {
        deadline = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (Durations.TryParse(s, out var duration))
        {
            deadline = new(duration, null);
            return true;
        }

        // Only ISO-8601 (yyyy-mm-dd...), so culture-dependent forms such as 1/2/2026 are refused.
        if (s.Length >= 10 && char.IsAsciiDigit(s[0]) && s[4] == '-' && s[7] == '-' &&
            DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            deadline = new(null, time);
            return true;
        }

        return false;
    }

    /// <summary>The deadline of a run submitted at <paramref name="submittedAt"/>.
    /// Saturates at the calendar's end rather than overflow (a definition built in C# may hold any duration).</summary>
    public DateTimeOffset Resolve(DateTimeOffset submittedAt) =>
        At ?? (After!.Value >= DateTimeOffset.MaxValue - submittedAt ? DateTimeOffset.MaxValue : submittedAt + After.Value);

    /// <summary>The form <see cref="TryParse"/> reads back to the same value.</summary>
    public override string ToString() =>
        After is { } after ? Durations.Format(after) : At!.Value.ToString("O", CultureInfo.InvariantCulture);
}
