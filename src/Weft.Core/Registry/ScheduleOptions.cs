namespace Weft.Registry;

/// <summary>How the engine runs the schedules of registered workflows (<see cref="WeftEngine.Schedules"/>).</summary>
public sealed class ScheduleOptions
{
    /// <summary>Runs schedules in the background: every tick starts a run. Default true. Every engine on
    /// a store may run them; the store lets only one start each tick. Off, ticks are still counted as
    /// due and <see cref="ScheduleService.RunDueAsync"/> starts them when called.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A tick older than this when the engine sees it counts as missed (for <c>catchUp</c>).
    /// Default 1 minute.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromMinutes(1);

    internal IEnumerable<string> Validate()
    {
        if (Grace <= TimeSpan.Zero)
        {
            yield return $"Schedules.Grace must be positive (was {Grace})";
        }
    }
}
