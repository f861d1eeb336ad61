namespace Weft;

/// <summary>One circuit breaker at one moment (<see cref="WeftEngine.ListBreakers"/>).</summary>
/// <param name="Key">The breaker key: a task's <c>breaker:</c>, or an <c>http</c> task's host and port.</param>
/// <param name="State"><c>closed</c>, <c>open</c> or <c>half_open</c>.</param>
public sealed record BreakerStatus(string Key, string State)
{
    /// <summary>Consecutive counted failures since the last success; a closed breaker opens when
    /// this reaches <see cref="BreakerOptions.FailureThreshold"/>.</summary>
    public int Failures { get; init; }

    /// <summary>When the breaker last opened; null while closed.</summary>
    public DateTimeOffset? OpenedAt { get; init; }

    /// <summary>When an open breaker lets trial tasks through; null unless open.</summary>
    public DateTimeOffset? OpenUntil { get; init; }

    /// <summary>Tasks queued on this breaker, waiting for it to admit them.</summary>
    public int Waiting { get; init; }
}
