namespace Weft.Scheduling;

/// <summary>The engine options that shape the <see cref="ReadyQueue"/>, frozen once.</summary>
internal sealed record ReadyQueueSettings(
    QueueOrdering Ordering,
    TimeSpan? AgingInterval,
    TimeSpan DeadlineUrgentWithin,
    TimeSpan DeadlineCriticalWithin)
{
    public static ReadyQueueSettings Default { get; } = From(new WeftOptions());

    public static ReadyQueueSettings From(WeftOptions options) =>
        new(options.Ordering, options.AgingInterval, options.DeadlineUrgentWithin, options.DeadlineCriticalWithin);
}
