namespace Weft.WorkerPool;

/// <summary>The <see cref="SlotStrategy"/>: which slot's queue the next ready task goes to, among the
/// slots with room. Called under the engine lock, so its state needs no synchronization.</summary>
internal sealed class SlotPicker(PoolOptions options)
{
    private readonly Random _random = options.Seed is { } seed ? new Random(seed) : new Random();
    private int _cursor;
    private long[] _current = [];

    /// <summary>The slot to give a task to, or null when none has room.</summary>
    public WorkerSlot? Pick(WorkerSlot[] slots, WorkerSlot? asking) => options.Strategy switch
    {
        SlotStrategy.RoundRobin => RoundRobin(slots, asking),
        SlotStrategy.Weighted => Weighted(slots, asking),
        SlotStrategy.Random => RandomPick(slots, asking),
        _ => LeastBusy(slots, asking),
    };

    private WorkerSlot? LeastBusy(WorkerSlot[] slots, WorkerSlot? asking)
    {
        // The slot asking goes first on a tie: it is awake and holds the lock, so no hand-off is needed.
        var best = asking is not null && asking.Room(true) > 0 ? asking : null;
        foreach (var slot in slots)
        {
            if (slot.Room(slot == asking) > 0 && (best is null || slot.Load < best.Load))
            {
                best = slot;
            }
        }

        return best;
    }

    private WorkerSlot? RoundRobin(WorkerSlot[] slots, WorkerSlot? asking)
    {
        for (var i = 0; i < slots.Length; i++)
        {
            var index = (_cursor + i) % slots.Length;
            if (slots[index].Room(slots[index] == asking) > 0)
            {
                _cursor = index + 1;
                return slots[index];
            }
        }

        return null;
    }

    // Smooth weighted round-robin (as nginx does): every slot with room gains its weight, the richest
    // is chosen and pays the total, so picks interleave in proportion to the weights.
    private WorkerSlot? Weighted(WorkerSlot[] slots, WorkerSlot? asking)
    {
        if (_current.Length != slots.Length)
        {
            _current = new long[slots.Length];
        }

        var total = 0L;
        var chosen = -1;
        for (var i = 0; i < slots.Length; i++)
        {
            if (slots[i].Room(slots[i] == asking) <= 0)
            {
                continue;
            }

            var weight = WeightOf(i);
            _current[i] += weight;
            total += weight;
            if (chosen < 0 || _current[i] > _current[chosen])
            {
                chosen = i;
            }
        }

        if (chosen < 0)
        {
            return null;
        }

        _current[chosen] -= total;
        return slots[chosen];
    }

    private WorkerSlot? RandomPick(WorkerSlot[] slots, WorkerSlot? asking)
    {
        var open = 0;
        foreach (var slot in slots)
        {
            open += slot.Room(slot == asking) > 0 ? 1 : 0;
        }

        if (open == 0)
        {
            return null;
        }

        var n = _random.Next(open);
        foreach (var slot in slots)
        {
            if (slot.Room(slot == asking) > 0 && n-- == 0)
            {
                return slot;
            }
        }

        return null;
    }

    private int WeightOf(int ordinal) => options.Weights.Count == 0 ? 1 : options.Weights[ordinal % options.Weights.Count];
}
