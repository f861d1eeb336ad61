using Weft.WorkerPool;

namespace Weft.Tests.WorkerPool;

public sealed class SlotPickerTests
{
    private static WorkerSlot[] Slots(int n, int capacity = 8) =>
        [.. Enumerable.Range(0, n).Select(i => Fast(new WorkerSlot(i, 4, capacity) { InlineStreak = WorkerSlot.HoldAheadAfter, Parked = true }))];

    // A slot whose last task between two visits to the lock took one tick: it may hold its capacity ahead.
    private static WorkerSlot Fast(WorkerSlot slot)
    {
        slot.LeftGate(1);
        slot.Completed = 1;
        slot.Paced(2);
        return slot;
    }

    private static List<int> Picks(SlotPicker picker, WorkerSlot[] slots, int count, WorkerSlot? asking = null) =>
        [.. Enumerable.Range(0, count).Select(_ => picker.Pick(slots, asking)!.Number)];

    [Fact]
    public void RoundRobin_PicksSlotsInTurn()
    {
        var picker = new SlotPicker(new PoolOptions { Strategy = SlotStrategy.RoundRobin });

        Assert.Equal([0, 1, 2, 0, 1, 2, 0], Picks(picker, Slots(3), 7));
    }

    [Fact]
    public void RoundRobin_SkipsASlotWithoutRoom()
    {
        var slots = Slots(3);
        slots[1].Parked = false;
        slots[1].Busy = true; // running: takes nothing ahead
        var picker = new SlotPicker(new PoolOptions { Strategy = SlotStrategy.RoundRobin });

        Assert.Equal([0, 2, 0, 2], Picks(picker, slots, 4));
    }

    [Fact]
    public void LeastBusy_PicksTheSlotWithFewestTasksAndPrefersTheAskingSlotOnATie()
    {
        var slots = Slots(3);
        (slots[0].Busy, slots[0].Parked) = (true, false);
        (slots[1].Busy, slots[1].Parked) = (true, false);
        var picker = new SlotPicker(new PoolOptions { Strategy = SlotStrategy.LeastBusy });

        Assert.Equal(2, picker.Pick(slots, slots[0])!.Number);
        (slots[2].Busy, slots[2].Parked) = (true, false);
        Assert.Equal(1, picker.Pick(slots, slots[1])!.Number);
    }

    [Fact]
    public void LeastBusy_GivesAFreeSlotOneTaskAndTheAskingSlotUpToItsCapacity()
    {
        var slots = Slots(2, capacity: 4);
        var picker = new SlotPicker(new PoolOptions { Strategy = SlotStrategy.LeastBusy });
        var order = new List<int>();
        while (picker.Pick(slots, slots[0]) is { } slot)
        {
            slot.Push(default);
            order.Add(slot.Number);
        }

        Assert.Equal([0, 1, 0, 0, 0], order);
    }

    [Fact]
    public void Weighted_PicksInProportionToTheWeights()
    {
        var options = new PoolOptions { Strategy = SlotStrategy.Weighted };
        options.Weights.Add(3);
        options.Weights.Add(1);
        var picker = new SlotPicker(options);

        var picks = Picks(picker, Slots(2), 40);

        Assert.Equal(30, picks.Count(n => n == 0));
        Assert.Equal(10, picks.Count(n => n == 1));
        Assert.Equal([0, 0, 1, 0], picks.Take(4)); // interleaved, not 3 in a row then 1
    }

    [Fact]
    public void Random_WithASeed_IsRepeatableAndUsesEverySlot()
    {
        PoolOptions Seeded() => new() { Strategy = SlotStrategy.Random, Seed = 42 };

        var first = Picks(new SlotPicker(Seeded()), Slots(4), 200);
        var second = Picks(new SlotPicker(Seeded()), Slots(4), 200);

        Assert.Equal(first, second);
        Assert.All(Enumerable.Range(0, 4), n => Assert.InRange(first.Count(p => p == n), 30, 70));
    }

    [Fact]
    public void TrySteal_TakesFromAnotherSlotsQueueWhenItsOwnIsEmpty()
    {
        var slots = Slots(3);
        slots[2].Push(new ClaimedTask(default, 1));
        slots[2].Push(new ClaimedTask(default, 2));

        Assert.False(slots[0].TryTake(out _));
        Assert.True(slots[0].TrySteal(slots, out var stolen));
        Assert.Equal(1, stolen.Attempt); // oldest first
        Assert.Equal(1, slots[0].Stolen);
        Assert.Equal(1, slots[2].Count);
        Assert.False(slots[2].TrySteal([slots[2]], out _)); // never from itself
    }

    [Fact]
    public void AnAskingSlotHoldsAheadWhatItsRecentPaceRunsInTheBudget()
    {
        var slot = new WorkerSlot(0, 4, 512) { InlineStreak = WorkerSlot.HoldAheadAfter };
        var tick = WorkerSlot.AheadBudget / 20; // tasks that took a twentieth of the budget each

        slot.LeftGate(1_000);
        slot.Completed = 5;
        slot.Paced(1_000 + (5 * tick));
        Assert.Equal(20, slot.Room(asking: true));

        slot.LeftGate(2_000_000);
        slot.Completed = 6;
        slot.Paced(2_000_000 + (2 * WorkerSlot.AheadBudget)); // one task of twice the budget: the floor, as before pacing
        Assert.Equal(WorkerSlot.MinAhead, slot.Room(asking: true));

        slot.LeftGate(3_000_000);
        slot.Completed = 1_006;
        slot.Paced(3_000_001); // a thousand tasks in a tick: the capacity bounds it
        Assert.Equal(512, slot.Room(asking: true));
    }
}
