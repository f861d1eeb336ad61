namespace Weft.Scheduling;

/// <summary>Where a plan's task durations are recorded: task index to slot, without hashing on the hot path.</summary>
internal sealed class PlanDurations(WorkflowDurations durations, int[] slots)
{
    public void Record(int task, TimeSpan elapsed) => durations.Record(slots[task], elapsed);

    /// <summary>The task's usual (smoothed) successful run time; null while none is known.</summary>
    public TimeSpan? Usual(int task) => durations.AverageMs(slots[task]) is var ms && double.IsNaN(ms) ? null : TimeSpan.FromMilliseconds(ms);
}
