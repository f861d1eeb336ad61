using System.Text.Json;
using System.Text.Json.Serialization;

namespace Weft.Bench;

/// <summary>The document <c>weft bench --json</c> prints: an array of
/// <c>{"workload","store","tasks","seconds","rate"}</c>, plus the optional figures a workload has
/// (W1 <c>imbalancePercent</c>, in memory <c>bareRate</c> and <c>ofBarePercent</c>; W2 <c>hopUs</c>; W4 <c>baselineSeconds</c>, <c>idealSeconds</c>; a cluster's START
/// <c>firstClaimMs</c>, its <c>transport</c> when on one); absent figures are omitted, not null.</summary>
internal static class BenchJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public static string Format(IReadOnlyList<BenchResult> results) =>
        JsonSerializer.Serialize(results, Options);
}
