using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Weft.Server.Api;

/// <summary>Whole-number query parameters (<c>limit</c>, <c>offset</c>, <c>attempt</c>), taken as text and
/// parsed here: left to ASP.NET's binding, <c>limit=abc</c> would get a bare 400 that names neither
/// the field nor the value.</summary>
internal static class QueryNumbers
{
    /// <summary>Parses <paramref name="text"/>; null when absent. On bad text, <paramref name="problem"/>
    /// is the 400 naming <paramref name="field"/> and the value.</summary>
    public static bool TryParse(string field, string? text, out int? value, out IResult? problem)
    {
        value = null;
        problem = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
            return true;
        }

        problem = Problems.Field(field, $"{field} must be a whole number (was '{Shorten(text)}')");
        return false;
    }

    // An echoed value is shown, not a whole payload someone put in the query string.
    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";
}
