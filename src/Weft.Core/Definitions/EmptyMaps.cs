namespace Weft.Definitions;

/// <summary>Shared empty defaults, so records that leave a map unset still compare equal.</summary>
internal static class EmptyMaps
{
    public static readonly IReadOnlyDictionary<string, string> Strings = new Dictionary<string, string>();
    public static readonly IReadOnlyDictionary<string, int> Ints = new Dictionary<string, int>();
    public static readonly IReadOnlyDictionary<string, double> Doubles = new Dictionary<string, double>();
    public static readonly IReadOnlyDictionary<string, RateLimit> RateLimits = new Dictionary<string, RateLimit>();
}
