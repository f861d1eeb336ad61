using Weft.Bench;

namespace Weft.Tests.Bench;

public sealed class W3FingerprintTests
{
    [Fact]
    public void W3Fingerprint_BuiltGraph_EqualsTheValueFixedInWorkloadsMd() =>
        Assert.Equal("6fe3695a342d260b", Workloads.W3Fingerprint());

    [Fact]
    public void W3_BuiltTwice_IsTheSameGraph() =>
        Assert.Equal(Workloads.Fingerprint(Workloads.W3()), Workloads.Fingerprint(Workloads.W3()));

    [Fact]
    public void SplitMix64_Seed42_FirstValueMatchesTheReferenceAlgorithm()
    {
        // state = 42 + golden gamma, then the two multiply-xorshift rounds, worked out independently.
        var random = new SplitMix64(42);
        Assert.Equal(0xBDD732262FEB6E95UL, random.Next());
    }

    [Fact]
    public void Fnv1a64_NoInput_IsTheOffsetBasis() =>
        Assert.Equal(14695981039346656037UL, new Fnv1a64().Value);

    [Fact]
    public void Fingerprint_EdgeChanged_Differs()
    {
        var w3 = Workloads.W3();
        var tasks = w3.Tasks.ToArray();
        var last = tasks[^1];
        tasks[^1] = last with { DependsOn = [last.DependsOn[1], last.DependsOn[0]] };
        Assert.NotEqual(Workloads.W3ExpectedFingerprint, Workloads.Fingerprint(w3 with { Tasks = tasks }));
    }
}
