using Weft.Execution;

namespace Weft.Storage;

/// <summary>Column encodings shared by the SQL stores' reads and writes: attempt outcomes as
/// snake_case names, times as UTC ticks.</summary>
internal static class StoreColumns
{
    private static readonly string[] Outcomes = ["succeeded", "failed", "timed_out", "cancelled", "interrupted"];

    public static string Of(TaskOutcomeStatus outcome) => Outcomes[(int)outcome];

    public static TaskOutcomeStatus Outcome(string name) =>
        Array.IndexOf(Outcomes, name) is var i and >= 0 ? (TaskOutcomeStatus)i : throw Unknown("attempt outcome", name);

    public static TaskState Task(string name) =>
        StateNames.TryParseTask(name, out var state) ? state : throw Unknown("task state", name);

    public static RunState Run(string name) =>
        StateNames.TryParseRun(name, out var state) ? state : throw Unknown("run state", name);

    public static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);

    /// <summary>A run-level command's column value: <c>pause</c>, <c>resume</c>; null for a task signal.</summary>
    public static string? Of(RunControl? control) => control switch
    {
        RunControl.Pause => "pause",
        RunControl.Resume => "resume",
        _ => null,
    };

    public static RunControl? Control(string name) => name switch
    {
        "pause" => RunControl.Pause,
        "resume" => RunControl.Resume,
        _ => throw new WeftStoreException($"unknown run control '{name}' in the signals table"),
    };

    private static WeftStoreException Unknown(string what, string name) =>
        new($"the database holds an unknown {what} '{name}'; was it written by a newer weft?");
}
