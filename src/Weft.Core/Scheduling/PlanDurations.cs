namespace Weft.Scheduling;

/// <summary>Where a plan's task durations are recorded: task index to slot, without hashing on the hot path.</summary>
internal sealed class PlanDurations(WorkflowDurations durations, int[] slots)
{
    public void Record(int task, TimeSpan elapsed) => durations.Record(slots[task], elapsed);
}
