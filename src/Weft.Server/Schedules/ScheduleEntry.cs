using Weft.Definitions;

namespace Weft.Server.Schedules;

/// <summary>The state of one workflow's schedule: how far its ticks have been looked at, and whether
/// it is paused. <see cref="Evaluated"/> is what lets a runner that starts after downtime see the
/// ticks it missed.</summary>
internal sealed class ScheduleEntry(string name, ScheduleDefinition schedule, DateTimeOffset evaluated)
{
    public string Name { get; } = name;

    public ScheduleDefinition Schedule { get; set; } = schedule;

    /// <summary>Ticks at or before this time have been dealt with (started, skipped or paused through).</summary>
    public DateTimeOffset Evaluated { get; set; } = evaluated;

    public bool Paused { get; set; }

    /// <summary>True once the runner has looked in the store for the ticks handled before this
    /// server started (so downtime is caught up by the schedule's catchUp).</summary>
    public bool Reconciled { get; set; }

    public DateTimeOffset? LastTick { get; set; }

    public string? LastRunId { get; set; }

    /// <summary>The next tick after <paramref name="from"/>, or null when the expression never fires again.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset from) =>
        Schedule.Expression().GetNextOccurrence(from, Schedule.Zone(), inclusive: false);
}
