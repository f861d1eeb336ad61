namespace Weft;

/// <summary>Run states (DESIGN.md "States").</summary>
public enum RunState : byte
{
    /// <summary>Submitted, not yet taken up.</summary>
    Pending,
    /// <summary>Taken up: tasks are queued or running.</summary>
    Running,
    /// <summary>Paused: no new task starts until it is resumed.</summary>
    Paused,
    /// <summary>Final: every task ended well (succeeded, cached or skipped).</summary>
    Succeeded,
    /// <summary>Final: a task failed.</summary>
    Failed,
    /// <summary>Final: cancelled by a user.</summary>
    Cancelled,
    /// <summary>Final: ran past its time limit (reserved: the engine does not end a run this way today).</summary>
    TimedOut,
}

/// <summary>Task states (DESIGN.md "States").</summary>
public enum TaskState : byte
{
    /// <summary>Waiting for its upstream tasks.</summary>
    Pending,
    /// <summary>Ready, waiting for a slot (or a limit).</summary>
    Queued,
    /// <summary>An attempt is running.</summary>
    Running,
    /// <summary>An attempt failed; the next waits for its retry delay.</summary>
    Retrying,
    /// <summary>Final: an attempt succeeded.</summary>
    Succeeded,
    /// <summary>Final: failed with no attempts left.</summary>
    Failed,
    /// <summary>Final: the last attempt ran past its timeout.</summary>
    TimedOut,
    /// <summary>Final: cancelled with its run.</summary>
    Cancelled,
    /// <summary>Final: not run because an upstream task failed.</summary>
    UpstreamFailed,
    /// <summary>Final: not run because its trigger rule was not met.</summary>
    Skipped,
    /// <summary>Final: its output was reused from the result cache.</summary>
    Cached,
    /// <summary>A <c>wait:</c> task waiting for its signal, time or condition; it holds no slot.</summary>
    Waiting,
}
