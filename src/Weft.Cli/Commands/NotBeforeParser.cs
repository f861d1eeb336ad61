using System.Globalization;
using Weft.Definitions;

namespace Weft.Cli.Commands;

/// <summary>Reads <c>--at</c>: an ISO-8601 time, or a delay such as <c>10m</c> from now.</summary>
internal static class NotBeforeParser
{
    public static DateTimeOffset? Parse(string text, DateTimeOffset now)
    {
        if (Durations.TryParse(text, out var delay))
        {
            return now + delay;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }
}
