namespace Weft;

/// <summary>One decision of the worker pool: the number of slots went from <see cref="From"/> to
/// <see cref="To"/> (equal when a crashed slot was replaced), and why.</summary>
public sealed record PoolEvent(DateTimeOffset At, int From, int To, string Reason);
