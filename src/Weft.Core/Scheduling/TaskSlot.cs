using Weft.Execution;

namespace Weft.Scheduling;

/// <summary>The mutable state of one task in one run. A struct in an array per run, so a run of
/// many tasks is one allocation; only tasks that retry allocate an attempt history.</summary>
internal struct TaskSlot
{
    public TaskState State;

    /// <summary>Parents not yet final.</summary>
    public int PendingParents;

    public int SucceededParents;
    public int FailedParents;
    public int SkippedParents;

    /// <summary>Attempts started so far.</summary>
    public int Attempts;

    public DateTimeOffset StartedAt;
    public DateTimeOffset FinishedAt;

    // The latest attempt, inline; earlier ones move to History when another attempt follows.
    public DateTimeOffset AttemptStartedAt;
    public DateTimeOffset AttemptFinishedAt;
    public TaskOutcomeStatus? AttemptOutcome;
    public string? Output;
    public bool OutputTruncated;
    public string? Error;
    public int? ExitCode;
    public int? HttpStatus;
    public string? Stderr;

    public List<AttemptSnapshot>? History;

    /// <summary>The timer that ends a retry's back-off; null unless <see cref="State"/> is Retrying.</summary>
    public ITimer? RetryTimer;

    /// <summary>The back-off of the pending retry, for watchers who join while it runs.</summary>
    public TimeSpan RetryDelay;

    public readonly AttemptSnapshot CurrentAttempt(int number) => new(number, AttemptStartedAt)
    {
        FinishedAt = AttemptOutcome is null ? null : AttemptFinishedAt,
        Outcome = AttemptOutcome,
        ExitCode = ExitCode,
        HttpStatus = HttpStatus,
        Error = Error,
        Stderr = Stderr,
    };
}
