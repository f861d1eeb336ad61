namespace Weft.Definitions;

/// <summary>Priority classes, most urgent first; the numeric value is the queue index.</summary>
public enum TaskPriority
{
    Critical = 0,
    High = 1,
    Normal = 2,
    Low = 3,
}

/// <summary>When a task runs once its upstream tasks are final (Airflow's trigger rules).</summary>
public enum TriggerRule
{
    AllSuccess,
    AllDone,
    AllFailed,
    OneSuccess,
    OneFailed,
    NoneFailed,
}

public enum RetryStrategy
{
    None,
    Immediate,
    Fixed,
    Exponential,
    Fibonacci,
}
