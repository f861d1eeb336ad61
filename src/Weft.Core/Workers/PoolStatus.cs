namespace Weft;

/// <summary>The worker pool at one moment (<see cref="EngineStatus.Pool"/>).</summary>
public sealed record PoolStatus
{
    public static readonly PoolStatus Empty = new();

    /// <summary>Live slots (a slot told to retire is not counted).</summary>
    public int Slots { get; init; }

    /// <summary>Slots running a task right now.</summary>
    public int Busy { get; init; }

    public int Idle => Slots - Busy;

    public int MinWorkers { get; init; }

    public int MaxWorkers { get; init; }

    public SlotStrategy Strategy { get; init; }

    /// <summary>Slots replaced after their loop crashed, since the engine started.</summary>
    public long SlotCrashes { get; init; }

    /// <summary>The latest scaling decisions and replacements, oldest first.</summary>
    public IReadOnlyList<PoolEvent> RecentEvents { get; init; } = [];
}
