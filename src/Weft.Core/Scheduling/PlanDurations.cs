namespace Weft.Scheduling;

/// <summary>Where a plan's task durations are recorded: task index to slot, without hashing on the
/// hot path (<paramref name="slots"/> null: each task's slot is its index).</summary>
internal sealed class PlanDurations(WorkflowDurations durations, int[]? slots)
{
    public void Record(int task, TimeSpan elapsed) => durations.Record(SlotOf(task), elapsed);

    /// <summary>The task's usual (smoothed) successful run time; null while none is known.</summary>
    public TimeSpan? Usual(int task) => durations.AverageMs(SlotOf(task)) is var ms && double.IsNaN(ms) ? null : TimeSpan.FromMilliseconds(ms);

    private int SlotOf(int task) => slots is null ? task : slots[task];
}
