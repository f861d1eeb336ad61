namespace Weft.Cli;

/// <summary>Turns repeated <c>-p name=value</c> arguments into run parameters. Everything after the
/// first '=' is the value, so values may themselves contain '='.</summary>
internal static class ParameterParser
{
    /// <summary>Parses every argument; returns all problems together rather than stopping at the first.</summary>
    public static ParameterParseResult Parse(IEnumerable<string>? arguments)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var argument in arguments ?? [])
        {
            var eq = argument.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                errors.Add($"parameter '{argument}' is not of the form name=value");
                continue;
            }

            var name = argument[..eq].Trim();
            if (name.Length == 0)
            {
                errors.Add($"parameter '{argument}' has no name before '='");
                continue;
            }

            if (!values.TryAdd(name, argument[(eq + 1)..]))
            {
                errors.Add($"parameter '{name}' is given more than once");
            }
        }

        return new ParameterParseResult(values, errors);
    }
}

internal sealed record ParameterParseResult(IReadOnlyDictionary<string, string> Values, IReadOnlyList<string> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
