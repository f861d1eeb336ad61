using System.CommandLine;
using System.Globalization;

namespace Weft.Cli;

/// <summary>Range checks for integer options. They read the token themselves: asking the result for
/// its value would throw when the token is not a number, which System.CommandLine already reports.</summary>
internal static class OptionRules
{
    public static Option<int> InRange(this Option<int> option, int min, int max)
    {
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0
                && int.TryParse(r.Tokens[^1].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                && (value < min || value > max))
            {
                r.AddError(max == int.MaxValue
                    ? $"{option.Name} must be at least {min} (was {value})"
                    : $"{option.Name} must be between {min} and {max} (was {value})");
            }
        });
        return option;
    }
}
