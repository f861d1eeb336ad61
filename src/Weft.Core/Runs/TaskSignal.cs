namespace Weft;

/// <summary>A signal sent to a waiting task (<c>wait: { signal }</c>, or any <c>wait:</c> task to end
/// it early): approve, with <see cref="Data"/> as the task's output, or reject, which fails the task.
/// Recorded in the store with its time and origin before it takes effect, so a signal sent to a run
/// that another process runs reaches it, and the attempt history shows who ended the wait and when.</summary>
/// <param name="RunId">The run.</param>
/// <param name="TaskId">The waiting task.</param>
public sealed record TaskSignal(string RunId, string TaskId)
{
    /// <summary>The store's id for the signal (0 until it is recorded).</summary>
    public long Id { get; init; }

    /// <summary>JSON given with the signal; it becomes the task's output. Null for none.</summary>
    public string? Data { get; init; }

    /// <summary>True to fail the task instead of letting it succeed.</summary>
    public bool Reject { get; init; }

    /// <summary>Who sent it, as users see it: <c>cli user@host</c>, <c>api 127.0.0.1</c>, <c>dashboard …</c>.</summary>
    public string Origin { get; init; } = "api";

    /// <summary>When it was sent (the sender's clock).</summary>
    public DateTimeOffset SentAt { get; init; }

    /// <summary>Set for a run-level command instead of a task signal (<see cref="TaskId"/> is then empty):
    /// <c>weft runs pause</c> or <c>weft runs resume</c> through the store, for the process running the run.</summary>
    public RunControl? Control { get; init; }

    /// <summary>A pause or resume for the process running <paramref name="runId"/>.</summary>
    public static TaskSignal ForRun(string runId, RunControl control) => new(runId, string.Empty) { Control = control };
}

/// <summary>A run-level command recorded in the store for the process running the run.</summary>
public enum RunControl
{
    /// <summary>Start no new task until resumed (running ones finish; waits keep counting).</summary>
    Pause,

    /// <summary>Go on after a pause.</summary>
    Resume,
}
