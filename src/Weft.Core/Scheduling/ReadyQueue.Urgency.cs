namespace Weft.Scheduling;

/// <summary>The slow path of dequeue, taken only while deadlines are queued or something may have
/// aged: up to three candidates per class (the top bucket's head, the class's oldest entry, the
/// deadline heap's top) are given an effective class from the clock, and the most urgent wins.
/// Inside a deadline heap only the top (earliest deadline) is looked at: urgency by deadline is
/// monotonic in the deadline, so only aging could make a later entry more urgent. Such an entry
/// ages unseen until it reaches the top; since its own deadline lifts it anyway, that is accepted
/// to keep the heap a plain heap.</summary>
internal sealed partial class ReadyQueue
{
    /// <summary>The effective class of an overdue task: ahead of critical.</summary>
    private const int Overdue = -1;

    private enum Source : byte
    {
        TopBucket,
        Oldest,
        DeadlineHeap,
    }

    private QueueEntry DequeueMostUrgent(long now)
    {
        Candidate best = default;
        var found = false;
        for (var c = 0; c < Classes; c++)
        {
            var buckets = _classes[c];
            if (buckets.TryPeek(out var top, out var rank))
            {
                var effective = Aged(c, top.EnqueuedAt, now);
                Consider(new Candidate(Source.TopBucket, c, effective, effective < c, NoDeadline, rank, top.Sequence, null));
            }

            if (c > 0 && _agingTicks > 0 && buckets.Count > 0 && now - _oldestBound[c] >= _agingTicks &&
                buckets.TryPeekOldest(out var oldest, out var oldestRank, out var bucket))
            {
                _oldestBound[c] = oldest.EnqueuedAt;
                var effective = Aged(c, oldest.EnqueuedAt, now);
                if (effective < c)
                {
                    Consider(new Candidate(Source.Oldest, c, effective, true, NoDeadline, oldestRank, oldest.Sequence, bucket));
                }
            }

            if (_deadlines[c].TryPeek(out var due, out var key))
            {
                var effective = Math.Min(ByDeadline(c, key.Deadline, now), Aged(c, due.EnqueuedAt, now));
                Consider(new Candidate(Source.DeadlineHeap, c, effective, effective < c, key.Deadline, key.Rank, due.Sequence, null));
            }
        }

        switch (best.Source)
        {
            case Source.DeadlineHeap:
                _withDeadline--;
                return _deadlines[best.Class].Dequeue();
            case Source.Oldest:
                return _classes[best.Class].DequeueFrom(best.Bucket!);
            default:
                return _classes[best.Class].DequeueTop();
        }

        void Consider(in Candidate candidate)
        {
            if (!found || candidate.IsMoreUrgentThan(best))
            {
                best = candidate;
                found = true;
            }
        }
    }

    /// <summary>One class up per aging interval waited, down to critical.</summary>
    private int Aged(int c, long enqueuedAt, long now)
    {
        if (_agingTicks == 0 || c == 0)
        {
            return c;
        }

        var steps = (now - enqueuedAt) / _agingTicks;
        return steps >= c ? 0 : c - (int)steps;
    }

    /// <summary>Overdue first; within the critical window critical; within the urgent window one class up.</summary>
    private int ByDeadline(int c, long deadline, long now)
    {
        var left = deadline - now;
        if (left <= 0)
        {
            return Overdue;
        }

        if (left < _settings.DeadlineCriticalWithin.Ticks)
        {
            return 0;
        }

        return left < _settings.DeadlineUrgentWithin.Ticks ? Math.Max(0, c - 1) : c;
    }

    private readonly record struct Candidate(
        Source Source,
        int Class,
        int Effective,
        bool Promoted,
        long Deadline,
        double Rank,
        long Sequence,
        Queue<QueueEntry>? Bucket)
    {
        // Effective class first. Within it, a promoted task (by deadline or age) goes before the
        // class's own tasks, and promoted tasks go by deadline; then longest remaining path; then FIFO.
        public bool IsMoreUrgentThan(in Candidate other)
        {
            if (Effective != other.Effective)
            {
                return Effective < other.Effective;
            }

            if (Promoted != other.Promoted)
            {
                return Promoted;
            }

            if (Promoted && Deadline != other.Deadline)
            {
                return Deadline < other.Deadline;
            }

            return Rank != other.Rank ? Rank > other.Rank : Sequence < other.Sequence;
        }
    }
}
