using System.Globalization;

namespace Weft.Definitions;

/// <summary>Reads resource amounts: plain numbers (<c>2</c>, <c>0.5</c>), and for memory sizes
/// with a unit (<c>512MB</c>, <c>2GiB</c>, <c>512Mi</c>, <c>100k</c>) in bytes.</summary>
internal static class ResourceSizes
{
    private static readonly (string Suffix, double Factor)[] Units =
    [
        // Ki/Mi/Gi/Ti as Kubernetes and container limits write them.
        ("Ki", 1024d), ("Mi", 1024d * 1024), ("Gi", 1024d * 1024 * 1024), ("Ti", 1024d * 1024 * 1024 * 1024),
        ("KiB", 1024d), ("MiB", 1024d * 1024), ("GiB", 1024d * 1024 * 1024), ("TiB", 1024d * 1024 * 1024 * 1024),
        ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12), ("k", 1e3), ("K", 1e3), ("M", 1e6), ("G", 1e9), ("B", 1),
    ];

    /// <summary>Reads a non-negative amount, with an optional size unit (<c>KiB</c>, <c>MB</c>, <c>k</c>, …; bytes); false for anything else.</summary>
    public static bool TryParse(string text, out double amount)
    {
        text = text.Trim();
        foreach (var (suffix, factor) in Units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) &&
                double.TryParse(text.AsSpan(0, text.Length - suffix.Length).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0)
            {
                amount = n * factor;
                return true;
            }
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out amount) && amount >= 0;
    }

    /// <summary>An amount for display: <c>memory</c> of 1 MiB or more in MiB, anything else as a plain number.</summary>
    public static string Format(string resource, double amount) =>
        resource == "memory" && amount >= 1024 * 1024
            ? string.Create(CultureInfo.InvariantCulture, $"{amount / (1024 * 1024):0.#}MiB")
            : amount.ToString("0.##", CultureInfo.InvariantCulture);
}
