using System.Globalization;
using Weft.Definitions;

namespace Weft.Cli.Commands;

/// <summary>Reads <c>--at</c>: an ISO-8601 time, or a delay such as <c>10m</c> from now, at most
/// <see cref="Durations.Maximum"/> ahead (what the engine accepts as a run's start time).</summary>
internal static class NotBeforeParser
{
    /// <summary>The start time, or null with <paramref name="error"/> saying why <paramref name="text"/> is not one.</summary>
    public static DateTimeOffset? Parse(string text, DateTimeOffset now, out string? error)
    {
        error = null;
        DateTimeOffset at;
        if (Durations.TryParse(text, out var delay))
        {
            if (delay > Durations.Maximum)
            {
                error = $"--at '{text}' is more than {Durations.MaximumText} ahead; a run may be scheduled at most {Durations.MaximumText} ahead";
                return null;
            }

            at = now + delay;
        }
        else if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at))
        {
            error = $"--at '{text}' is neither a time (ISO-8601, e.g. 2026-12-01T02:00:00Z) nor a delay (e.g. 10m)";
            return null;
        }

        if (SubmitOptions.CheckNotBefore(at, now) is not null)
        {
            error = $"--at '{text}' is more than {Durations.MaximumText} ahead; a run may be scheduled at most {Durations.MaximumText} ahead";
            return null;
        }

        return at;
    }
}
