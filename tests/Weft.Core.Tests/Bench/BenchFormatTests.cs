using System.Text.Json.Nodes;
using Weft.Bench;

namespace Weft.Tests.Bench;

public sealed class BenchFormatTests
{
    private static readonly BenchResult[] Results =
    [
        new("W1", "memory", 20_000, 0.5, 40_000),
        new("W2", "memory", 2_000, 0.2, 10_000) { HopUs = 12.5 },
        new("W4-5", "memory", 500, 0.05, 2_000) { IdealSeconds = 0.04, BaselineSeconds = 5 },
    ];

    [Fact]
    public void Json_IsAnArrayOfCamelCaseObjects_WithAbsentFiguresOmitted()
    {
        var array = JsonNode.Parse(BenchJson.Format(Results))!.AsArray();
        Assert.Equal(3, array.Count);

        var w1 = array[0]!.AsObject();
        Assert.Equal(["workload", "store", "tasks", "seconds", "rate"], w1.Select(p => p.Key));
        Assert.Equal("W1", (string?)w1["workload"]);
        Assert.Equal("memory", (string?)w1["store"]);
        Assert.Equal(20_000, (int?)w1["tasks"]);

        Assert.Equal(12.5, (double?)array[1]!["hopUs"]);
        Assert.Equal(["workload", "store", "tasks", "seconds", "rate", "baselineSeconds", "idealSeconds"], array[2]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Text_OneLinePerWorkload_W4WithBaselineAndIdeal_W3WithFingerprint()
    {
        var w3 = new BenchResult("W3", "memory", 2_000, 0.1, 20_000);
        var lines = BenchText.Format([.. Results, w3]).Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(4, lines.Length);
        Assert.Contains("tasks/s", lines[0]);
        Assert.Contains("hop 12.5 µs", lines[1]);
        Assert.Contains("workflows/s", lines[2]);
        Assert.Contains("ideal 0.040 s", lines[2]);
        Assert.Contains("sequential baseline 5.0 s (computed)", lines[2]);
        Assert.Contains("fingerprint 6fe3695a342d260b", lines[3]);
    }
}
