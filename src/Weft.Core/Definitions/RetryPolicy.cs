namespace Weft.Definitions;

/// <summary>How a failed task is tried again. <see cref="MaxAttempts"/> counts the first attempt.</summary>
public sealed record RetryPolicy
{
    public static readonly RetryPolicy None = new() { Strategy = RetryStrategy.None, MaxAttempts = 1 };

    public RetryStrategy Strategy { get; init; } = RetryStrategy.Fixed;

    /// <summary>Total attempts, the first included. Default 3.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Base delay. Default 1 s.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of any one delay; null means none.</summary>
    public TimeSpan? MaxDelay { get; init; }

    /// <summary>Growth factor for <see cref="RetryStrategy.Exponential"/>. Default 2.</summary>
    public double Multiplier { get; init; } = 2;

    /// <summary>Full jitter: the delay is drawn uniformly from [0, computed delay].</summary>
    public bool Jitter { get; init; }

    /// <summary>Which failures retry; null means every failure does.</summary>
    public IReadOnlyList<RetryCondition>? RetryOn { get; init; }

    /// <summary>The wait before attempt <paramref name="failedAttempts"/> + 1, where
    /// <paramref name="failedAttempts"/> ≥ 1. <paramref name="random01"/> in [0, 1) drives jitter.</summary>
    public TimeSpan DelayBefore(int failedAttempts, double random01)
    {
        var k = Math.Max(0, failedAttempts - 1);
        double ticks = Strategy switch
        {
            RetryStrategy.None or RetryStrategy.Immediate => 0,
            RetryStrategy.Fixed => Delay.Ticks,
            RetryStrategy.Exponential => Delay.Ticks * Math.Pow(Multiplier, k),
            RetryStrategy.Fibonacci => Delay.Ticks * (double)Fibonacci(k + 1),
            _ => 0,
        };
        if (MaxDelay is { } cap && ticks > cap.Ticks)
        {
            ticks = cap.Ticks;
        }

        ticks = Math.Min(ticks, TimeSpan.MaxValue.Ticks / 2d);
        if (Jitter)
        {
            ticks *= random01;
        }

        return TimeSpan.FromTicks((long)ticks);
    }

    // fib(1) = 1, fib(2) = 1, fib(3) = 2, ...: delays d, d, 2d, 3d, 5d.
    private static long Fibonacci(int n)
    {
        long a = 0, b = 1;
        for (var i = 0; i < n && b < long.MaxValue / 2; i++)
        {
            (a, b) = (b, a + b);
        }

        return a;
    }
}
