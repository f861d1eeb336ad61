namespace Weft.Cluster;

/// <summary>How many tasks a worker may claim beyond its free slots. Prefetching saves a claim round trip
/// per task, which matters only for short tasks; for long ones it hoards: a task waiting in one worker's
/// buffer behind long-running slots is a task another worker of the queue, idle, could be running. So
/// the budget is what this worker's slots will start within <see cref="ClusterWorkerOptions.PrefetchWithin"/>
/// going by the durations it has seen (none before its first task ends), never more than
/// <see cref="ClusterWorkerOptions.Prefetch"/>.</summary>
internal sealed class PrefetchBudget(int slots, int max, TimeSpan within)
{
    // Weight of the newest duration in the running average: about the last ten tasks count.
    private const double NewWeight = 0.1;

    // Average task duration in ticks; negative until the first task ends.
    private long _averageBits = BitConverter.DoubleToInt64Bits(-1);

    /// <summary>Tasks that may be claimed ahead now.</summary>
    public int Allowed
    {
        get
        {
            var average = BitConverter.Int64BitsToDouble(Interlocked.Read(ref _averageBits));
            if (max == 0 || average < 0)
            {
                return 0;
            }

            // Tasks one slot ends within the horizon, at least none and at most the cap in all.
            var perSlot = average <= 0 ? double.PositiveInfinity : within.Ticks / average;
            var allowed = Math.Floor(slots * perSlot);
            return allowed >= max ? max : (int)allowed;
        }
    }

    /// <summary>A task claimed ahead waited <paramref name="waited"/> for a slot: the slots are slower than
    /// the average says (long tasks replaced short ones), so the average is at least that.</summary>
    public void SlotsTurnOverEvery(TimeSpan waited)
    {
        while (true)
        {
            var seen = Interlocked.Read(ref _averageBits);
            var average = BitConverter.Int64BitsToDouble(seen);
            if (average >= waited.Ticks
                || Interlocked.CompareExchange(ref _averageBits, BitConverter.DoubleToInt64Bits(waited.Ticks), seen) == seen)
            {
                return;
            }
        }
    }

    /// <summary>Records how long one task ran on a slot.</summary>
    public void Record(TimeSpan duration)
    {
        var ticks = Math.Max(0, duration.Ticks);
        while (true)
        {
            var seen = Interlocked.Read(ref _averageBits);
            var average = BitConverter.Int64BitsToDouble(seen);
            var next = average < 0 ? ticks : average + (NewWeight * (ticks - average));
            if (Interlocked.CompareExchange(ref _averageBits, BitConverter.DoubleToInt64Bits(next), seen) == seen)
            {
                return;
            }
        }
    }
}
