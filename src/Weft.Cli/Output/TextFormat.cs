using System.Globalization;

namespace Weft.Cli.Output;

/// <summary>Small text helpers shared by the progress view, event lines and the summary table.</summary>
internal static class TextFormat
{
    public const int PreviewLength = 60;

    /// <summary>"0.3s", "12.0s", "2m 05s", "1h 02m".</summary>
    public static string Duration(TimeSpan? duration)
    {
        if (duration is not { } d)
        {
            return "";
        }

        if (d < TimeSpan.Zero)
        {
            d = TimeSpan.Zero;
        }

        return d.TotalSeconds < 60
            ? d.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s"
            : d.TotalHours < 1
                ? $"{(int)d.TotalMinutes}m {d.Seconds:00}s"
                : $"{(int)d.TotalHours}h {d.Minutes:00}m";
    }

    /// <summary>The first non-empty line of <paramref name="text"/>, cleaned for a terminal
    /// (<see cref="TerminalText"/>) and cut to <paramref name="max"/> characters with an ellipsis when
    /// longer (or when more lines follow).</summary>
    public static string Preview(string? text, int max = PreviewLength)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var lines = text.Split('\n');
        var first = TerminalText.Clean(lines.Select(l => l.TrimEnd('\r')).First(l => !string.IsNullOrWhiteSpace(l)).Trim());
        var more = lines.Count(l => !string.IsNullOrWhiteSpace(l)) > 1;
        if (first.Length > max)
        {
            return first[..(max - 1)] + "…";
        }

        return more && first.Length < max ? first + "…" : first;
    }

    public static TimeSpan? Elapsed(DateTimeOffset? start, DateTimeOffset? end) =>
        start is { } s && end is { } e ? e - s : null;
}
