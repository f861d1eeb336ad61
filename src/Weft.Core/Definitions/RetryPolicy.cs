namespace Weft.Definitions;

/// <summary>How a failed task is tried again. <see cref="MaxAttempts"/> counts the first attempt.</summary>
public sealed record RetryPolicy
{
    /// <summary>One attempt, no retry (the default of a task).</summary>
    public static readonly RetryPolicy None = new() { Strategy = RetryStrategy.None, MaxAttempts = 1 };

    /// <summary>How the wait between attempts grows. Default <see cref="RetryStrategy.Fixed"/>.</summary>
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
    /// <paramref name="failedAttempts"/> ≥ 1. <paramref name="random01"/> in [0, 1) drives jitter.
    /// Saturating: whatever the policy holds, the result is between zero and <see cref="MaxDelay"/>
    /// (when set) and never more than <see cref="Durations.Maximum"/>; never negative.</summary>
    public TimeSpan DelayBefore(int failedAttempts, double random01)
    {
        var k = Math.Max(0, failedAttempts - 1);
        var baseTicks = (double)Math.Max(0, Delay.Ticks);
        var ticks = Strategy switch
        {
            RetryStrategy.None or RetryStrategy.Immediate => 0,
            RetryStrategy.Fixed => baseTicks,
            RetryStrategy.Exponential => baseTicks == 0 ? 0 : baseTicks * Math.Pow(Multiplier, k),
            RetryStrategy.Fibonacci => baseTicks * Fibonacci(k + 1),
            _ => 0,
        };

        // NaN (a NaN multiplier), Infinity (a huge power) and negatives end here, before any cast.
        var most = (double)Durations.Maximum.Ticks;
        if (MaxDelay is { } cap)
        {
            most = Math.Min(most, Math.Max(0, cap.Ticks));
        }

        ticks = double.IsNaN(ticks) ? most : Math.Clamp(ticks, 0, most);
        if (Jitter)
        {
            ticks *= double.IsFinite(random01) ? Math.Clamp(random01, 0, 1) : 0;
        }

        return TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The longest wait this policy asks for between attempts (before jitter), saturating
    /// like <see cref="DelayBefore"/> but without its cap at <see cref="Durations.Maximum"/>, so a
    /// validator can tell a policy that reaches past it; <see cref="TimeSpan.MaxValue"/> when the
    /// arithmetic overflows.</summary>
    public TimeSpan LongestDelay()
    {
        if (MaxAttempts < 2 || Strategy is RetryStrategy.None or RetryStrategy.Immediate || Delay <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var k = MaxAttempts - 2; // the wait before the last attempt grows the most
        var ticks = Strategy switch
        {
            RetryStrategy.Exponential => Delay.Ticks * Math.Pow(Multiplier, Multiplier >= 1 ? k : 0),
            RetryStrategy.Fibonacci => Delay.Ticks * (double)Fibonacci(k + 1),
            _ => Delay.Ticks,
        };
        if (MaxDelay is { } cap && !(ticks <= cap.Ticks))
        {
            ticks = cap.Ticks;
        }

        return double.IsNaN(ticks) || ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)Math.Max(0, ticks));
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
