using Weft.Bench;

namespace Weft.Tests.Bench;

public sealed class BenchCommandRunnerTests
{
    [Fact]
    public void Select_All_IsEveryWorkloadInFixedOrder() =>
        Assert.Equal(["W1", "W2", "W3", "W4", "MEM"], BenchCommandRunner.Select(["all"]));

    [Fact]
    public void Select_MixedCaseAndDuplicates_CanonicalOrderOnce() =>
        Assert.Equal(["W1", "W4"], BenchCommandRunner.Select(["w4", "W1", "w1"]));

    [Fact]
    public void Select_MapWorkloads_RunWhenNamedInFixedOrder() =>
        Assert.Equal(["W1", "MAP10K", "FLAT10K"], BenchCommandRunner.Select(["flat10k", "map10k", "W1"]));

    [Fact]
    public void Select_UnknownWorkload_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => BenchCommandRunner.Select(["W9"]));
        Assert.Contains("W9", error.Message);
    }

    [Fact]
    public async Task RunAsync_UnsupportedStore_ThrowsBeforeRunningAnything()
    {
        var progress = new StringWriter();
        await Assert.ThrowsAsync<NotSupportedException>(() =>
            BenchCommandRunner.RunAsync(["W1"], "postgres", 5, progress, CancellationToken.None));
        Assert.Equal("", progress.ToString());
    }
}
