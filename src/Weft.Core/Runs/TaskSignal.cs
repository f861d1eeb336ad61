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
}
