using Weft.Bench;

namespace Weft.Tests.WorkerPool;

public sealed class ImbalanceTests
{
    [Fact]
    public void ImbalancePercent_IsMaxMinusMinOverMeanOfTheTasksEachSlotRanInTheRun()
    {
        // Slots ran 110, 90 and 100 tasks in this run: (110 − 90) / 100 = 20 %.
        Assert.Equal(20, BenchRunner.ImbalancePercent([1000, 50, 0], [1110, 140, 100]), 6);
    }

    [Fact]
    public void ImbalancePercent_SlotsChangedDuringTheRun_IsRefused()
    {
        Assert.Throws<InvalidOperationException>(() => BenchRunner.ImbalancePercent([1, 2], [3]));
    }
}
