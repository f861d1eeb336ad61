namespace Weft.Scheduling;

/// <summary>Order inside a deadline heap: earliest deadline, then longest remaining path, then FIFO.</summary>
internal readonly record struct DeadlineKey(long Deadline, double Rank, long Sequence)
{
    public static IComparer<DeadlineKey> Order { get; } = Comparer<DeadlineKey>.Create(static (a, b) =>
    {
        var c = a.Deadline.CompareTo(b.Deadline);
        if (c != 0)
        {
            return c;
        }

        c = b.Rank.CompareTo(a.Rank);
        return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
    });
}
