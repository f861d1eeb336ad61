namespace Weft;

/// <summary>Circuit breaker settings, the same for every breaker key. A breaker opens after
/// <see cref="FailureThreshold"/> consecutive failures that count (those its tasks' <c>retryOn</c>
/// would retry; every failure when a task has no <c>retryOn</c>), stays open for <see cref="CoolDown"/>,
/// then lets <see cref="HalfOpenTrials"/> tasks through and closes after <see cref="SuccessThreshold"/>
/// of them succeed (a failure among them opens it again).</summary>
public sealed class BreakerOptions
{
    /// <summary>Off: tasks never wait on a breaker. Default on.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Consecutive counted failures that open a breaker. Default 5.</summary>
    public int FailureThreshold { get; set; } = 5;

    /// <summary>How long an open breaker stays open before trials. Default 60 s.</summary>
    public TimeSpan CoolDown { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Tasks let through while half-open. Default 3.</summary>
    public int HalfOpenTrials { get; set; } = 3;

    /// <summary>Successes while half-open that close the breaker. Default 2.</summary>
    public int SuccessThreshold { get; set; } = 2;

    internal IEnumerable<string> Validate()
    {
        if (FailureThreshold < 1)
        {
            yield return $"Breakers.FailureThreshold must be at least 1 (was {FailureThreshold})";
        }

        if (CoolDown <= TimeSpan.Zero)
        {
            yield return $"Breakers.CoolDown must be positive (was {CoolDown})";
        }

        if (HalfOpenTrials < 1)
        {
            yield return $"Breakers.HalfOpenTrials must be at least 1 (was {HalfOpenTrials})";
        }

        if (SuccessThreshold < 1 || SuccessThreshold > HalfOpenTrials)
        {
            yield return $"Breakers.SuccessThreshold must be between 1 and HalfOpenTrials ({HalfOpenTrials}) (was {SuccessThreshold})";
        }
    }
}
