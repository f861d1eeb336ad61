using System.Globalization;

namespace Weft.Definitions;

/// <summary>At most <see cref="Count"/> task starts per <see cref="Per"/> (a token bucket that
/// holds up to <see cref="Count"/> tokens). Written <c>50/s</c>, <c>600/m</c>, <c>1000/h</c>.</summary>
public sealed record RateLimit(int Count, TimeSpan Per)
{
    /// <summary>The written form, e.g. <c>50/s</c>.</summary>
    public override string ToString() => $"{Count}/{(Per == TimeSpan.FromSeconds(1) ? "s" : Per == TimeSpan.FromMinutes(1) ? "m" : "h")}";

    /// <summary>Reads <c>N/s</c>, <c>N/m</c> or <c>N/h</c> (also <c>sec</c>, <c>min</c>, <c>hour</c> …) with N ≥ 1; false for anything else.</summary>
    public static bool TryParse(string text, out RateLimit limit)
    {
        limit = new RateLimit(0, TimeSpan.Zero);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !int.TryParse(text.AsSpan(0, slash).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            return false;
        }

        TimeSpan? per = text[(slash + 1)..].Trim() switch
        {
            "s" or "sec" or "second" => TimeSpan.FromSeconds(1),
            "m" or "min" or "minute" => TimeSpan.FromMinutes(1),
            "h" or "hour" => TimeSpan.FromHours(1),
            _ => null,
        };
        if (per is null)
        {
            return false;
        }

        limit = new RateLimit(count, per.Value);
        return true;
    }
}
