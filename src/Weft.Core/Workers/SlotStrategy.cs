namespace Weft;

/// <summary>How the scheduler picks the worker slot whose queue a ready task goes to. An idle slot
/// steals from the others whatever the strategy, so the strategy decides where work lands first,
/// not who may run it.</summary>
public enum SlotStrategy
{
    /// <summary>The slot with the fewest tasks queued or running (ties: the slot asking, then the lowest number). Default.</summary>
    LeastBusy,

    /// <summary>Slots in turn.</summary>
    RoundRobin,

    /// <summary>Slots in proportion to <see cref="PoolOptions.Weights"/> (smooth weighted round-robin).</summary>
    Weighted,

    /// <summary>A slot drawn at random (seeded by <see cref="PoolOptions.Seed"/> for repeatable tests).</summary>
    Random,
}
