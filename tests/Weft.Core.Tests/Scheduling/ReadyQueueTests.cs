using Weft.Definitions;
using Weft.Planning;
using Weft.Scheduling;

namespace Weft.Tests.Scheduling;

public sealed class ReadyQueueTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // One run of many tasks; the queue only needs distinct (run, task) pairs to tell entries apart.
    private static readonly RunExecution Run = new(
        "r", ExecutionPlan.Compile(new WorkflowDefinition("q", [.. Enumerable.Range(0, 32).Select(i => new TaskDefinition($"t{i}", NoopSpec.Instance))])),
        new Dictionary<string, string>(), null, T0);

    private static ReadyQueue Queue(QueueOrdering ordering = QueueOrdering.CriticalPathFirst, TimeSpan? aging = null) =>
        Configured(new ReadyQueueSettings(ordering, aging, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10)));

    private static ReadyQueue Configured(ReadyQueueSettings settings)
    {
        var queue = new ReadyQueue();
        queue.Configure(settings);
        return queue;
    }

    private static void Add(ReadyQueue q, int task, TaskPriority priority, double rank = 1, DateTimeOffset? deadline = null, DateTimeOffset? at = null) =>
        q.Enqueue(new WorkItem(Run, task), priority, rank, deadline?.UtcTicks ?? ReadyQueue.NoDeadline, at ?? T0);

    private static List<int> Drain(ReadyQueue q, DateTimeOffset now)
    {
        var order = new List<int>();
        while (q.TryDequeue(now, out var item))
        {
            order.Add(item.Task);
        }

        return order;
    }

    [Fact]
    public void TryDequeue_SameRank_ClassesInOrderFifoWithin()
    {
        var q = Queue();
        Add(q, 0, TaskPriority.Low);
        Add(q, 1, TaskPriority.Normal);
        Add(q, 2, TaskPriority.Critical);
        Add(q, 3, TaskPriority.High);
        Add(q, 4, TaskPriority.Low);
        Add(q, 5, TaskPriority.Critical);

        Assert.Equal([2, 5, 3, 1, 0, 4], Drain(q, T0));
        Assert.Equal(0, q.Count);
    }

    [Fact]
    public void TryDequeue_CriticalPathFirst_HighestRankFirstFifoAmongEqualRanks()
    {
        var q = Queue();
        Add(q, 0, TaskPriority.Normal, rank: 1);
        Add(q, 1, TaskPriority.Normal, rank: 5);
        Add(q, 2, TaskPriority.Normal, rank: 3);
        Add(q, 3, TaskPriority.Normal, rank: 5);
        Add(q, 4, TaskPriority.Normal, rank: 1);
        Add(q, 5, TaskPriority.High, rank: 0.5);

        Assert.Equal([5, 1, 3, 2, 0, 4], Drain(q, T0));
    }

    [Fact]
    public void TryDequeue_FifoOrdering_IgnoresRanks()
    {
        var q = Queue(QueueOrdering.Fifo);
        Add(q, 0, TaskPriority.Normal, rank: 1);
        Add(q, 1, TaskPriority.Normal, rank: 5);
        Add(q, 2, TaskPriority.Normal, rank: 3);

        Assert.Equal([0, 1, 2], Drain(q, T0));
    }

    [Fact]
    public void TryDequeue_BucketsEmptyAndRefill_KeepOrder()
    {
        var q = Queue();
        Add(q, 0, TaskPriority.Normal, rank: 2);
        Assert.Equal([0], Drain(q, T0));
        Add(q, 1, TaskPriority.Normal, rank: 1);
        Add(q, 2, TaskPriority.Normal, rank: 2);
        Add(q, 3, TaskPriority.Normal, rank: 1);

        Assert.Equal([2, 1, 3], Drain(q, T0));
    }

    [Fact]
    public void TryDequeue_DeadlineFarAway_StaysInItsClassAndCompetesByRank()
    {
        var q = Queue();
        Add(q, 0, TaskPriority.Normal, rank: 5);
        Add(q, 1, TaskPriority.Normal, rank: 1, deadline: T0.AddMinutes(5));
        Add(q, 2, TaskPriority.High, rank: 1);

        Assert.Equal([2, 0, 1], Drain(q, T0));
    }

    [Fact]
    public void TryDequeue_DeadlineWithinUrgentWindow_RisesOneClassAndGoesBeforeThatClass()
    {
        var q = Queue();
        Add(q, 0, TaskPriority.High);
        Add(q, 1, TaskPriority.Normal, deadline: T0.AddSeconds(50));
        Add(q, 2, TaskPriority.Critical);

        Assert.Equal([2, 1, 0], Drain(q, T0));
    }

    [Fact]
    public void TryDequeue_DeadlineNearsAsTheClockMoves_PromotionFollowsTheClock()
    {
        var q = Queue();
        Add(q, 0, TaskPriority.High);
        Add(q, 1, TaskPriority.High);
        Add(q, 2, TaskPriority.Low, deadline: T0.AddSeconds(65));

        Assert.True(q.TryDequeue(T0, out var first));
        Assert.True(q.TryDequeue(T0.AddSeconds(10), out var second)); // 55 s left: low rises to normal only
        Assert.Equal([0, 1], new[] { first.Task, second.Task });
        Add(q, 3, TaskPriority.Critical, at: T0.AddSeconds(10));
        Add(q, 4, TaskPriority.Critical, at: T0.AddSeconds(10));
        Assert.True(q.TryDequeue(T0.AddSeconds(56), out var third)); // 9 s left: critical, ahead of critical's own
        Assert.Equal(2, third.Task);
        Assert.Equal([3, 4], Drain(q, T0.AddSeconds(56)));
    }

    [Fact]
    public void TryDequeue_DeadlineWithinCriticalWindow_GoesCriticalBeforeCriticalTasks()
    {
        var q = Queue();
        Add(q, 0, TaskPriority.Critical);
        Add(q, 1, TaskPriority.Low, deadline: T0.AddSeconds(9));

        Assert.Equal([1, 0], Drain(q, T0));
    }

    [Fact]
    public void TryDequeue_Overdue_GoFirstEarliestDeadlineFirst()
    {
        var q = Queue();
        Add(q, 0, TaskPriority.Critical);
        Add(q, 1, TaskPriority.Low, deadline: T0.AddSeconds(5));
        Add(q, 2, TaskPriority.Normal, deadline: T0.AddSeconds(2));
        Add(q, 3, TaskPriority.Low, deadline: T0.AddSeconds(8));
        Add(q, 4, TaskPriority.High, deadline: T0.AddSeconds(30));

        // At +10 s tasks 1, 2 and 3 are overdue; 4 has 20 s left, so it rises from high to critical and,
        // promoted, goes before critical's own task 0.
        Assert.Equal([2, 1, 3, 4, 0], Drain(q, T0.AddSeconds(10)));
    }

    [Fact]
    public void TryDequeue_Aging_PromotesOneClassPerIntervalWaited()
    {
        var q = Queue(aging: TimeSpan.FromSeconds(30));
        Add(q, 0, TaskPriority.Low);
        Add(q, 1, TaskPriority.Normal, at: T0.AddSeconds(31));
        Add(q, 2, TaskPriority.Normal, at: T0.AddSeconds(31));

        // At +31 s the low task has waited one interval: it ranks as normal and, promoted, goes before normal's own.
        Assert.True(q.TryDequeue(T0.AddSeconds(31), out var first));
        Assert.Equal(0, first.Task);

        Add(q, 3, TaskPriority.Low, at: T0.AddSeconds(31));
        Add(q, 4, TaskPriority.High, at: T0.AddSeconds(61));

        // At +61 s task 3 has waited one interval (normal), 1 and 2 one interval too (high), 4 is high: 1, 2 promoted first.
        Assert.Equal([1, 2, 4, 3], Drain(q, T0.AddSeconds(61)));
    }

    [Fact]
    public void TryDequeue_AgingOverManyIntervals_ReachesCriticalButNoFurther()
    {
        var q = Queue(aging: TimeSpan.FromSeconds(30));
        Add(q, 0, TaskPriority.Low);
        Add(q, 1, TaskPriority.Critical, at: T0.AddMinutes(10));

        Assert.True(q.TryDequeue(T0.AddMinutes(10), out var first));
        Assert.Equal(0, first.Task); // promoted into critical, ahead of critical's own

        var off = Queue(aging: null);
        Add(off, 0, TaskPriority.Low);
        Add(off, 1, TaskPriority.Critical, at: T0.AddMinutes(10));
        Assert.Equal([1, 0], Drain(off, T0.AddMinutes(10)));
    }

    [Fact]
    public void TryDequeue_AgedTaskInALowerRankBucket_IsFoundAmongBucketHeads()
    {
        var q = Queue(aging: TimeSpan.FromSeconds(30));
        Add(q, 0, TaskPriority.Low, rank: 1);
        Add(q, 1, TaskPriority.Low, rank: 9, at: T0.AddSeconds(20));
        Add(q, 2, TaskPriority.Normal, rank: 9, at: T0.AddSeconds(20));

        // Task 0 (oldest, low rank) has aged into normal; task 1 (high rank) has not.
        Assert.Equal([0, 2, 1], Drain(q, T0.AddSeconds(40)));
    }

    [Fact]
    public void CountOf_CountsBucketsAndDeadlines()
    {
        var q = Queue();
        Add(q, 0, TaskPriority.Normal, rank: 1);
        Add(q, 1, TaskPriority.Normal, rank: 2);
        Add(q, 2, TaskPriority.Normal, deadline: T0.AddHours(1));

        Assert.Equal(3, q.CountOf(TaskPriority.Normal));
        Assert.Equal(3, q.Count);
        Assert.Equal(0, q.CountOf(TaskPriority.Low));
    }
}
