namespace Weft;

/// <summary>The snake_case names users see in JSON and the CLI.</summary>
public static class StateNames
{
    private static readonly string[] TaskNames =
        ["pending", "queued", "running", "retrying", "succeeded", "failed", "timed_out", "cancelled", "upstream_failed", "skipped", "cached", "waiting"];

    private static readonly string[] RunNames =
        ["pending", "running", "paused", "succeeded", "failed", "cancelled", "timed_out"];

    /// <summary>The name users see, e.g. <c>upstream_failed</c>.</summary>
    public static string ToName(this TaskState state) => TaskNames[(int)state];

    /// <summary>The name users see, e.g. <c>timed_out</c>.</summary>
    public static string ToName(this RunState state) => RunNames[(int)state];

    /// <summary>Reads a task state name (<see cref="ToName(TaskState)"/>); false for an unknown one.</summary>
    public static bool TryParseTask(string name, out TaskState state)
    {
        var i = Array.IndexOf(TaskNames, name);
        state = (TaskState)Math.Max(i, 0);
        return i >= 0;
    }

    /// <summary>Reads a run state name (<see cref="ToName(RunState)"/>); false for an unknown one.</summary>
    public static bool TryParseRun(string name, out RunState state)
    {
        var i = Array.IndexOf(RunNames, name);
        state = (RunState)Math.Max(i, 0);
        return i >= 0;
    }

    /// <summary>True for succeeded, failed, cancelled and timed out: the run will not change again.</summary>
    public static bool IsFinal(this RunState state) =>
        state is RunState.Succeeded or RunState.Failed or RunState.Cancelled or RunState.TimedOut;

    /// <summary>True for a state the task will not leave.</summary>
    public static bool IsFinal(this TaskState state) =>
        state is TaskState.Succeeded or TaskState.Failed or TaskState.TimedOut or TaskState.Cancelled
            or TaskState.UpstreamFailed or TaskState.Skipped or TaskState.Cached;
}
