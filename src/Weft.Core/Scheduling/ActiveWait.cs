using Weft.Definitions;

namespace Weft.Scheduling;

/// <summary>The timers of one <c>wait:</c> task while it waits (kept per run, by task, in
/// <see cref="RunExecution.Waits"/>, so the slots of ordinary tasks stay small). A timer that fires
/// after its wait ended finds another (or no) <see cref="ActiveWait"/> under the task and does nothing.</summary>
internal sealed class ActiveWait(WaitSpec spec) : IDisposable
{
    public WaitSpec Spec { get; } = spec;

    /// <summary>When the wait times out; null for never.</summary>
    public DateTimeOffset? TimeoutAt { get; init; }

    /// <summary>The point in time a timer wait ends at; null for other waits.</summary>
    public DateTimeOffset? UntilAt { get; init; }

    /// <summary>Fires at the earlier of <see cref="TimeoutAt"/> and <see cref="UntilAt"/>.</summary>
    public ITimer? DueTimer { get; set; }

    /// <summary>A sensor's next poll.</summary>
    public ITimer? PollTimer { get; set; }

    /// <summary>A sensor's parsed condition (parsed at its first poll).</summary>
    public WaitCondition? Condition { get; set; }

    /// <summary>Polls sent so far (a sensor).</summary>
    public int Polls { get; set; }

    public void Dispose()
    {
        DueTimer?.Dispose();
        DueTimer = null;
        PollTimer?.Dispose();
        PollTimer = null;
    }
}

/// <summary>What one poll of a sensor found: whether the condition held, and the response (or the
/// error) for the task's record.</summary>
internal readonly record struct SensorPoll(bool Matched, int? Status, string? Body, string? Error);
