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

    [Theory]
    [InlineData(1e20, 1000)]
    [InlineData(1e308, 5)]
    [InlineData(double.MaxValue, int.MaxValue)]
    public void DelayBefore_HugeGrowthWithoutMaxDelay_SaturatesAtTheMaximum(double multiplier, int failedAttempts)
    {
        var policy = new RetryPolicy { Strategy = RetryStrategy.Exponential, Delay = TimeSpan.FromDays(1), Multiplier = multiplier };

        Assert.Equal(Durations.Maximum, policy.DelayBefore(failedAttempts, 0.5));
    }

    [Fact]
    public void DelayBefore_ZeroDelayTimesAnInfinitePower_IsZeroNotNegative()
    {
        // 0 × ∞ is NaN, and (long)NaN is negative on x64: the wait must still be zero.
        var policy = new RetryPolicy { Strategy = RetryStrategy.Exponential, Delay = TimeSpan.Zero, Multiplier = 1e20 };

        Assert.Equal(TimeSpan.Zero, policy.DelayBefore(1000, 0.5));
    }

    [Fact]
    public void DelayBefore_NaNMultiplier_IsNeverNegative()
    {
        var policy = new RetryPolicy { Strategy = RetryStrategy.Exponential, Delay = TimeSpan.FromSeconds(1), Multiplier = double.NaN, MaxDelay = TimeSpan.FromMinutes(1) };

        Assert.InRange(policy.DelayBefore(3, 0.5), TimeSpan.Zero, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void DelayBefore_FibonacciPastLongRange_SaturatesAtTheMaximum()
    {
        var policy = new RetryPolicy { Strategy = RetryStrategy.Fibonacci, Delay = TimeSpan.FromDays(1), MaxAttempts = int.MaxValue };

        Assert.Equal(Durations.Maximum, policy.DelayBefore(5000, 0.5));
    }
}
