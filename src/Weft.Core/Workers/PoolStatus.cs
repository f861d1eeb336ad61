namespace Weft;

/// <summary>The worker pool at one moment (<see cref="EngineStatus.Pool"/>).</summary>
public sealed record PoolStatus
{
    /// <summary>No slots (an engine that has not started).</summary>
    public static readonly PoolStatus Empty = new();

    /// <summary>Live slots (a slot told to retire is not counted).</summary>
    public int Slots { get; init; }

    /// <summary>Slots running a task right now.</summary>
    public int Busy { get; init; }

    /// <summary>Live slots waiting for work.</summary>
    public int Idle => Slots - Busy;

    /// <summary>The fewest slots the scaler keeps (<see cref="PoolOptions.MinWorkers"/>).</summary>
    public int MinWorkers { get; init; }

    /// <summary>The most slots the scaler starts (<see cref="PoolOptions.MaxWorkers"/>).</summary>
    public int MaxWorkers { get; init; }

    /// <summary>How the pool is sized.</summary>
    public SlotStrategy Strategy { get; init; }

    /// <summary>Slots replaced after their loop crashed, since the engine started.</summary>
    public long SlotCrashes { get; init; }

    /// <summary>The latest scaling decisions and replacements, oldest first.</summary>
    public IReadOnlyList<PoolEvent> RecentEvents { get; init; } = [];
}
