namespace Weft;

/// <summary>A submission would take the engine past its queue limit
/// (<see cref="WeftOptions.QueueLimit"/>); nothing was submitted.</summary>
public sealed class WeftQueueFullException(int outstanding, int limit, int runTasks)
    : Exception(Describe(outstanding, limit, runTasks))
{
    /// <summary>Tasks waiting or running when the run was refused.</summary>
    public int Outstanding { get; } = outstanding;

    /// <summary>The queue limit (<c>WeftOptions.QueueLimit</c>).</summary>
    public int Limit { get; } = limit;

    /// <summary>Tasks the refused run would have added.</summary>
    public int RunTasks { get; } = runTasks;

    // A run larger than the limit never fits: waiting or trying again cannot help, only a higher limit.
    private static string Describe(int outstanding, int limit, int runTasks) => runTasks > limit
        ? $"queue full: this run has {runTasks} tasks, more than the queue limit of {limit} on its own; raise the limit " +
            "(queueLimit in weft.yaml, WEFT__QUEUELIMIT, or WeftOptions.QueueLimit)"
        : $"queue full: {outstanding} tasks are waiting or running, the limit is {limit}, and this run adds {runTasks}; " +
            "try again later, submit with SubmitOptions.WaitIfQueueFull, or raise WeftOptions.QueueLimit";
}
