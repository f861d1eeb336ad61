namespace Weft.Tests.WorkerPool;

public sealed class PoolOptionsTests
{
    [Fact]
    public async Task Workers_FixesThePoolAtThatSize()
    {
        await using var engine = WeftEngine.Create(o => o.Workers = 3);

        Assert.Equal(3, engine.Workers);
        var pool = engine.GetStatus().Pool;
        Assert.Equal((3, 3, 3), (pool.Slots, pool.MinWorkers, pool.MaxWorkers));
    }

    [Fact]
    public async Task Defaults_StartAtTwoSlotsAndMayGrowToSixteen()
    {
        await using var engine = WeftEngine.Create();

        var pool = engine.GetStatus().Pool;
        Assert.Equal((2, 2, 16, SlotStrategy.LeastBusy), (pool.Slots, pool.MinWorkers, pool.MaxWorkers, pool.Strategy));
    }

    [Fact]
    public void Create_BadPoolOptions_NamesEveryFieldAndValue()
    {
        var error = Assert.Throws<WeftConfigurationException>(() => WeftEngine.Create(o =>
        {
            o.Pool.MinWorkers = 8;
            o.Pool.MaxWorkers = 4;
            o.Pool.ScaleUpUtilization = 1.5;
            o.Pool.Weights.Add(0);
            o.Pool.CoolDown = TimeSpan.FromSeconds(-1);
        }));

        Assert.Contains("Pool.MaxWorkers must be between Pool.MinWorkers (8) and 4096 (was 4)", error.Message);
        Assert.Contains("Pool.ScaleUpUtilization must be between 0 and 1 (was 1.5)", error.Message);
        Assert.Contains("Pool.Weights[0] must be at least 1 (was 0)", error.Message);
        Assert.Contains("Pool.CoolDown must not be negative (was -00:00:01)", error.Message);
    }

    [Fact]
    public void Create_FixedPoolOfZero_IsReportedAsWorkers()
    {
        var error = Assert.Throws<WeftConfigurationException>(() => WeftEngine.Create(o => o.Workers = 0));

        Assert.Contains("Workers must be between 1 and 4096 (was 0)", error.Message);
        Assert.DoesNotContain("Pool.MaxWorkers", error.Message);
    }
}
