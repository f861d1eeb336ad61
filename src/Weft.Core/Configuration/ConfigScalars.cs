using System.Globalization;
using Weft.Definitions;

namespace Weft.Configuration;

/// <summary>Reads a configuration value as its option's type, in the forms the workflow format uses
/// (<c>30s</c>, <c>leastBusy</c>), and turns it into the form the configuration binder reads.</summary>
internal static class ConfigScalars
{
    public static bool IsScalar(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(string) || t == typeof(bool) || t == typeof(int) || t == typeof(long) || t == typeof(double)
            || t == typeof(TimeSpan) || t.IsEnum || t == typeof(RateLimit);
    }

    public static bool IsNullText(string text) =>
        text.Length == 0 || text is "~" || text.Equals("null", StringComparison.OrdinalIgnoreCase) || text.Equals("none", StringComparison.OrdinalIgnoreCase);

    /// <summary>The value in the binder's form, or null with what is allowed in <paramref name="allowed"/>.</summary>
    public static string? Normalize(Type type, string text, out string allowed)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null || (type == typeof(string) && text.Length == 0))
        {
            if (IsNullText(text.Trim()))
            {
                allowed = "";
                return "";
            }
        }

        var t = underlying ?? type;
        var s = text.Trim();
        var orNull = underlying is not null ? ", or null" : "";
        allowed = "";
        if (t == typeof(string))
        {
            return text;
        }

        if (t == typeof(bool))
        {
            allowed = "true or false";
            return bool.TryParse(s, out var b) ? (b ? "True" : "False") : null;
        }

        if (t == typeof(int) || t == typeof(long))
        {
            allowed = $"a whole number{orNull}";
            return long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && (t == typeof(long) || n is >= int.MinValue and <= int.MaxValue)
                ? n.ToString(CultureInfo.InvariantCulture)
                : null;
        }

        if (t == typeof(double))
        {
            allowed = $"a number such as 0.8{orNull}";
            return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                ? d.ToString("R", CultureInfo.InvariantCulture)
                : null;
        }

        if (t == typeof(TimeSpan))
        {
            allowed = $"a duration such as {Durations.Examples}{orNull}";
            // 00:01:30 too: the form .NET configuration (appsettings.json) has always used for a TimeSpan.
            return Durations.TryParse(s, out var span) || (s.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out span) && span >= TimeSpan.Zero)
                ? span.ToString("c", CultureInfo.InvariantCulture)
                : null;
        }

        if (t.IsEnum)
        {
            allowed = $"one of {string.Join(", ", Enum.GetNames(t).Select(ConfigSchema.CamelCase))}{orNull}";
            var wanted = s.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
            return Enum.GetNames(t).FirstOrDefault(n => n.Equals(wanted, StringComparison.OrdinalIgnoreCase));
        }

        if (t == typeof(RateLimit))
        {
            allowed = "COUNT/s, COUNT/m or COUNT/h, e.g. 10/s";
            return RateLimit.TryParse(s, out _) ? s : null;
        }

        return null;
    }

    /// <summary>A value as <c>weft config show</c> prints it, in the form the file takes.</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        TimeSpan span => Durations.Format(span),
        bool b => b ? "true" : "false",
        Enum e => ConfigSchema.CamelCase(e.ToString()),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
