using System.Globalization;
using System.Text;

namespace Weft.Definitions;

/// <summary>Reads and writes the durations of workflow files: <c>250ms</c>, <c>10s</c>, <c>5m</c>,
/// <c>2h</c>, <c>1d</c>, compounds such as <c>1h30m</c>, and ISO-8601 (<c>PT5M</c>, <c>P1DT2H</c>).
/// Negative durations are rejected: no field of a workflow means anything by them.</summary>
internal static class Durations
{
    /// <summary>The hint shown next to a bad duration.</summary>
    public const string Examples = "250ms, 10s, 5m, 2h, 1d or PT5M";

    /// <summary>The longest duration a workflow may give (a timeout, a retry delay and the longest
    /// wait its backoff can reach, a sleep, a deadline after submit, a cache ttl), and the furthest
    /// ahead a run may be scheduled to start: 365 days. Longer values are refused where they are
    /// written, so none reaches a timer or overflows a time.</summary>
    public static readonly TimeSpan Maximum = TimeSpan.FromDays(365);

    /// <summary><see cref="Maximum"/> as written in messages.</summary>
    public static string MaximumText => Format(Maximum);

    /// <summary>The problem with <paramref name="value"/> for <paramref name="field"/> when it is over
    /// <see cref="Maximum"/>, else null.</summary>
    public static string? TooLong(string field, TimeSpan value) =>
        value > Maximum ? $"'{field}' {Format(value)} is longer than the maximum of {MaximumText}" : null;

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        var ok = s[0] is 'P' or 'p' ? TryParseIso(s, out var ticks) : TryParseShort(s, out ticks);
        if (!ok || ticks < 0 || ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        duration = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    /// <summary>The shortest form <see cref="TryParse"/> reads back to the same value, e.g. <c>1h30m</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        var sb = new StringBuilder();
        if (duration < TimeSpan.Zero)
        {
            // Format is total, so a negative value still prints; TryParse will refuse it.
            sb.Append('-');
            duration = duration == TimeSpan.MinValue ? TimeSpan.MaxValue : duration.Negate();
        }

        Append(sb, duration.Days, "d");
        Append(sb, duration.Hours, "h");
        Append(sb, duration.Minutes, "m");
        Append(sb, duration.Seconds, "s");
        var subSecondTicks = duration.Ticks % TimeSpan.TicksPerSecond;
        if (subSecondTicks != 0)
        {
            var ms = (decimal)subSecondTicks / TimeSpan.TicksPerMillisecond;
            sb.Append(ms.ToString(CultureInfo.InvariantCulture)).Append("ms");
        }

        return sb.ToString();
    }

    private static void Append(StringBuilder sb, int value, string unit)
    {
        if (value != 0)
        {
            sb.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
        }
    }

    // One or more "<number><unit>" parts, each unit at most once and largest first (1h30m, not 30m1h).
    private static bool TryParseShort(string s, out decimal ticks)
    {
        ticks = 0;
        var pos = 0;
        var lastRank = int.MaxValue;
        while (pos < s.Length)
        {
            if (!TryReadNumber(s, ref pos, out var number))
            {
                return false;
            }

            var unitStart = pos;
            while (pos < s.Length && char.IsAsciiLetter(s[pos]))
            {
                pos++;
            }

            var (rank, unitTicks) = s[unitStart..pos] switch
            {
                "d" => (4, TimeSpan.TicksPerDay),
                "h" => (3, TimeSpan.TicksPerHour),
                "m" => (2, TimeSpan.TicksPerMinute),
                "s" => (1, TimeSpan.TicksPerSecond),
                "ms" => (0, TimeSpan.TicksPerMillisecond),
                _ => (-1, 0L),
            };
            if (rank < 0 || rank >= lastRank)
            {
                return false;
            }

            lastRank = rank;
            if (!TryAdd(ref ticks, number, unitTicks))
            {
                return false;
            }
        }

        return true;
    }

    // PnW, or P[nD][T[nH][nM][nS]]. Years and months are refused: their length depends on the calendar.
    private static bool TryParseIso(string s, out decimal ticks)
    {
        ticks = 0;
        var pos = 1;
        var inTime = false;
        var lastRank = int.MaxValue;
        var any = false;
        while (pos < s.Length)
        {
            if (s[pos] is 'T' or 't' && !inTime)
            {
                inTime = true;
                lastRank = int.MaxValue;
                pos++;
                if (pos == s.Length)
                {
                    return false;
                }

                continue;
            }

            if (!TryReadNumber(s, ref pos, out var number) || pos >= s.Length)
            {
                return false;
            }

            var (rank, unitTicks) = (char.ToUpperInvariant(s[pos]), inTime) switch
            {
                ('W', false) => (2, TimeSpan.TicksPerDay * 7),
                ('D', false) => (1, TimeSpan.TicksPerDay),
                ('H', true) => (3, TimeSpan.TicksPerHour),
                ('M', true) => (2, TimeSpan.TicksPerMinute),
                ('S', true) => (1, TimeSpan.TicksPerSecond),
                _ => (-1, 0L),
            };
            pos++;
            if (rank < 0 || rank >= lastRank || !TryAdd(ref ticks, number, unitTicks))
            {
                return false;
            }

            lastRank = rank;
            any = true;
        }

        return any;
    }

    private static bool TryReadNumber(string s, ref int pos, out decimal number)
    {
        number = 0;
        var start = pos;
        while (pos < s.Length && (char.IsAsciiDigit(s[pos]) || s[pos] == '.'))
        {
            pos++;
        }

        var digits = s[start..pos];
        return digits.Length > 0 && char.IsAsciiDigit(digits[0]) && char.IsAsciiDigit(digits[^1]) &&
               decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number);
    }

    private static bool TryAdd(ref decimal ticks, decimal number, long unitTicks)
    {
        try
        {
            ticks += number * unitTicks;
            return ticks <= TimeSpan.MaxValue.Ticks;
        }
        catch (OverflowException)
        {
            return false;
        }
    }
}
