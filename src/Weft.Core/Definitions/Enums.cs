namespace Weft.Definitions;

/// <summary>Priority classes, most urgent first; the numeric value is the queue index.</summary>
public enum TaskPriority
{
    /// <summary>Runs before every other ready task.</summary>
    Critical = 0,
    /// <summary>Runs before normal and low tasks.</summary>
    High = 1,
    /// <summary>The default.</summary>
    Normal = 2,
    /// <summary>Runs when nothing more urgent is ready.</summary>
    Low = 3,
}

/// <summary>When a task runs once its upstream tasks are final (Airflow's trigger rules).</summary>
public enum TriggerRule
{
    /// <summary>Runs when every upstream task succeeded (the default; <c>all_success</c>).</summary>
    AllSuccess,
    /// <summary>Runs when every upstream task is final, whatever the outcome (<c>all_done</c>).</summary>
    AllDone,
    /// <summary>Runs only when every upstream task failed (<c>all_failed</c>).</summary>
    AllFailed,
    /// <summary>Runs as soon as one upstream task succeeded (<c>one_success</c>).</summary>
    OneSuccess,
    /// <summary>Runs as soon as one upstream task failed (<c>one_failed</c>).</summary>
    OneFailed,
    /// <summary>Runs when no upstream task failed; skipped ones count as fine (<c>none_failed</c>).</summary>
    NoneFailed,
}

/// <summary>How the wait between attempts grows (<c>retry.strategy</c>).</summary>
public enum RetryStrategy
{
    /// <summary>No retry: one attempt only.</summary>
    None,
    /// <summary>Retries at once, without waiting.</summary>
    Immediate,
    /// <summary>Waits <see cref="RetryPolicy.Delay"/> before each retry.</summary>
    Fixed,
    /// <summary>Waits Delay, then Delay × Multiplier, Delay × Multiplier², … before successive retries.</summary>
    Exponential,
    /// <summary>Waits Delay × 1, 1, 2, 3, 5, … before successive retries.</summary>
    Fibonacci,
}
