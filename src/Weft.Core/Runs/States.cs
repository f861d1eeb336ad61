namespace Weft;

/// <summary>Run states (DESIGN.md "States").</summary>
public enum RunState : byte
{
    Pending,
    Running,
    Paused,
    Succeeded,
    Failed,
    Cancelled,
    TimedOut,
}

/// <summary>Task states (DESIGN.md "States").</summary>
public enum TaskState : byte
{
    Pending,
    Queued,
    Running,
    Retrying,
    Succeeded,
    Failed,
    TimedOut,
    Cancelled,
    UpstreamFailed,
    Skipped,
    Cached,
}
