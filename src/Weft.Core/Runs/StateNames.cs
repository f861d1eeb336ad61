namespace Weft;

/// <summary>The snake_case names users see in JSON and the CLI.</summary>
public static class StateNames
{
    private static readonly string[] TaskNames =
        ["pending", "queued", "running", "retrying", "succeeded", "failed", "timed_out", "cancelled", "upstream_failed", "skipped", "cached"];

    private static readonly string[] RunNames =
        ["pending", "running", "paused", "succeeded", "failed", "cancelled", "timed_out"];

    public static string ToName(this TaskState state) => TaskNames[(int)state];

    public static string ToName(this RunState state) => RunNames[(int)state];

    public static bool TryParseTask(string name, out TaskState state)
    {
        var i = Array.IndexOf(TaskNames, name);
        state = (TaskState)Math.Max(i, 0);
        return i >= 0;
    }

    public static bool TryParseRun(string name, out RunState state)
    {
        var i = Array.IndexOf(RunNames, name);
        state = (RunState)Math.Max(i, 0);
        return i >= 0;
    }

    public static bool IsFinal(this RunState state) =>
        state is RunState.Succeeded or RunState.Failed or RunState.Cancelled or RunState.TimedOut;

    public static bool IsFinal(this TaskState state) =>
        state is TaskState.Succeeded or TaskState.Failed or TaskState.TimedOut or TaskState.Cancelled
            or TaskState.UpstreamFailed or TaskState.Skipped or TaskState.Cached;
}
