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
    public void Select_TheLongWorkloads_OnlyByName_AfterTheOthers() =>
        Assert.Equal(["W1", "MEM", "MIXED", "MANY", "MEM1M"], BenchCommandRunner.Select(["mem1m", "all", "many", "mixed"]).Where(w => w is "W1" or "MEM" or "MIXED" or "MANY" or "MEM1M"));

    [Fact]
    public void Mixed_IsCpuThenIoThenCpuThenIo_EachPhaseAfterTheLastOnesBarrier()
    {
        var definition = MixedWorkload.Definition();

        Assert.Equal(MixedWorkload.Tasks, definition.Tasks.Count);
        var barriers = definition.Tasks.Where(t => t.Id.EndsWith("-done", StringComparison.Ordinal)).ToList();
        Assert.Equal(["p0-done", "p1-done", "p2-done", "p3-done"], barriers.Select(b => b.Id));
        Assert.Equal(MixedWorkload.IoTasksPerPhase, barriers[1].DependsOn.Count);
        Assert.All(definition.Tasks.Where(t => t.Id.StartsWith("p2-cpu", StringComparison.Ordinal)), t => Assert.Equal(["p1-done"], t.DependsOn));
        Assert.Equal(MixedWorkload.CpuTasksPerPhase, definition.Tasks.Count(t => t.Id.StartsWith("p2-cpu", StringComparison.Ordinal)));
    }

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
