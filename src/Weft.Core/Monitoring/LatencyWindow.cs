namespace Weft.Monitoring;

/// <summary>The most recent <see cref="Capacity"/> durations (ticks) in a ring, for p50/p95/p99
/// over recent tasks: O(1) to record on the hot path, a sort of at most 1,024 values to read.</summary>
internal sealed class LatencyWindow
{
    public const int Capacity = 1024;
    private readonly long[] _ticks = new long[Capacity];
    private long _count;

    // Capacity is a power of two, so the ring index is a mask, not a 64-bit division, per task.
    public void Record(long ticks) => _ticks[(int)(_count++ & (Capacity - 1))] = Math.Max(0, ticks);

    public Percentiles Read()
    {
        var n = (int)Math.Min(_count, Capacity);
        if (n == 0)
        {
            return Percentiles.Empty;
        }

        var sorted = _ticks.AsSpan(0, n).ToArray();
        Array.Sort(sorted);
        TimeSpan At(double q) => TimeSpan.FromTicks(sorted[Math.Min(n - 1, (int)Math.Ceiling(q * n) - 1)]);
        return new Percentiles(At(0.50), At(0.95), At(0.99), n);
    }
}
