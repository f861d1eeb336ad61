using Weft.Definitions;

namespace Weft.Tests.Scheduling;

public sealed class RetryPolicyTests
{
    private static readonly TimeSpan D = TimeSpan.FromMilliseconds(100);

    [Theory]
    [InlineData(RetryStrategy.Fixed, new[] { 100, 100, 100, 100, 100 })]
    [InlineData(RetryStrategy.Exponential, new[] { 100, 200, 400, 800, 1600 })]
    [InlineData(RetryStrategy.Fibonacci, new[] { 100, 100, 200, 300, 500 })]
    [InlineData(RetryStrategy.Immediate, new[] { 0, 0, 0, 0, 0 })]
    public void DelayBefore_EachStrategy_FollowsItsFormula(RetryStrategy strategy, int[] expectedMs)
    {
        var policy = new RetryPolicy { Strategy = strategy, Delay = D, Multiplier = 2, MaxAttempts = 10 };

        var delays = Enumerable.Range(1, 5).Select(k => (int)policy.DelayBefore(k, 0.5).TotalMilliseconds);

        Assert.Equal(expectedMs, delays);
    }

    [Fact]
    public void DelayBefore_MaxDelay_CapsTheGrowth()
    {
        var policy = new RetryPolicy { Strategy = RetryStrategy.Exponential, Delay = D, MaxDelay = TimeSpan.FromMilliseconds(250) };

        Assert.Equal(TimeSpan.FromMilliseconds(250), policy.DelayBefore(5, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(250), policy.DelayBefore(1000, 0));
    }

    [Fact]
    public void DelayBefore_Jitter_DrawsFromZeroToTheComputedDelay()
    {
        var policy = new RetryPolicy { Strategy = RetryStrategy.Fixed, Delay = D, Jitter = true };

        Assert.Equal(TimeSpan.Zero, policy.DelayBefore(1, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(25), policy.DelayBefore(1, 0.25));
        Assert.True(policy.DelayBefore(1, 0.999) < D);
    }
}
