namespace Weft.Mapping;

/// <summary>One map task's fan-out in one run: its instances are the run's slots
/// <c>First..First+Count-1</c>, appended when the task's list was resolved. Mutated only by the
/// scheduler, under the engine's lock.</summary>
internal sealed class MapFanOut(int task, int first, string[] items, int? maxParallel, bool usesTemplates)
{
    /// <summary>The map task's index in the plan.</summary>
    public int Task { get; } = task;

    /// <summary>The slot of instance 0.</summary>
    public int First { get; } = first;

    /// <summary>Each element as JSON text, in order.</summary>
    public string[] Items { get; } = items;

    public int Count => Items.Length;

    public int? MaxParallel { get; } = maxParallel;

    /// <summary>Whether the task's spec or cache key has templates at all; when not, an instance's
    /// attempt renders nothing and needs no values of its own (no allocation per instance).</summary>
    public bool UsesTemplates { get; } = usesTemplates;

    /// <summary>Instances not yet final; the map task settles when it reaches 0.</summary>
    public int Remaining { get; set; } = items.Length;

    /// <summary>Instances queued, running or waiting to retry: at most <see cref="MaxParallel"/>.</summary>
    public int InFlight { get; set; }

    /// <summary>Instances before this one have been queued once (or were final already).</summary>
    public int Cursor { get; set; }
}
