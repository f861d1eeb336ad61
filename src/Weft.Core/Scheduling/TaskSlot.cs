using Weft.Execution;

namespace Weft.Scheduling;

/// <summary>The mutable state of one task in one run. A struct in an array per run, so a run of
/// many tasks is one allocation. Kept small (96 bytes) because a run's slots are walked on
/// the hot path: times are UTC ticks, and fields most tasks never set (stderr, HTTP status,
/// history, retry timer) live in <see cref="TaskSlotExtras"/>, allocated only when needed.</summary>
internal struct TaskSlot
{
    public TaskState State;
    public TaskOutcomeStatus? AttemptOutcome;
    public bool OutputTruncated;

    /// <summary>Parents not yet final.</summary>
    public int PendingParents;

    public int SucceededParents;
    public int FailedParents;
    public int SkippedParents;

    /// <summary>Attempts started so far.</summary>
    public int Attempts;

    public int? ExitCode;
    public string? Output;
    public string? Error;

    private long _startedAt;
    private long _finishedAt;
    private long _attemptStartedAt;
    private long _attemptFinishedAt;
    private long _queuedAt;
    private TaskSlotExtras? _extras;

    public DateTimeOffset StartedAt { readonly get => At(_startedAt); set => _startedAt = value.UtcTicks; }

    public DateTimeOffset FinishedAt { readonly get => At(_finishedAt); set => _finishedAt = value.UtcTicks; }

    // The latest attempt, inline; earlier ones move to History when another attempt follows.
    public DateTimeOffset AttemptStartedAt { readonly get => At(_attemptStartedAt); set => _attemptStartedAt = value.UtcTicks; }

    public DateTimeOffset AttemptFinishedAt { readonly get => At(_attemptFinishedAt); set => _attemptFinishedAt = value.UtcTicks; }

    /// <summary>When the task last became ready (for queue-wait statistics).</summary>
    public long QueuedAtTicks { readonly get => _queuedAt; set => _queuedAt = value; }

    public int? HttpStatus
    {
        readonly get => _extras?.HttpStatus;
        set
        {
            if (value is not null || _extras is not null)
            {
                (_extras ??= new()).HttpStatus = value;
            }
        }
    }

    public string? Stderr
    {
        readonly get => _extras?.Stderr;
        set
        {
            if (value is not null || _extras is not null)
            {
                (_extras ??= new()).Stderr = value;
            }
        }
    }

    /// <summary>The cluster worker that ran the current attempt; null for the engine's own slots.</summary>
    public string? Worker
    {
        readonly get => _extras?.Worker;
        set
        {
            if (value is not null || _extras is not null)
            {
                (_extras ??= new()).Worker = value;
            }
        }
    }

    /// <summary>On a cluster: the cache key a queued attempt's success is remembered under (set at
    /// dispatch after a cache miss); null when the task has no <c>cache:</c>.</summary>
    public string? CacheKey
    {
        readonly get => _extras?.CacheKey;
        set
        {
            if (value is not null || _extras is not null)
            {
                (_extras ??= new()).CacheKey = value;
            }
        }
    }

    public List<AttemptSnapshot>? History
    {
        readonly get => _extras?.History;
        set => (_extras ??= new()).History = value;
    }

    /// <summary>The timer that ends a retry's back-off; null unless <see cref="State"/> is Retrying.</summary>
    public ITimer? RetryTimer
    {
        readonly get => _extras?.RetryTimer;
        set
        {
            if (value is not null || _extras is not null)
            {
                (_extras ??= new()).RetryTimer = value;
            }
        }
    }

    /// <summary>The back-off of the pending retry, for watchers who join while it runs.</summary>
    public TimeSpan RetryDelay
    {
        readonly get => _extras?.RetryDelay ?? TimeSpan.Zero;
        set => (_extras ??= new()).RetryDelay = value;
    }

    /// <summary>Why a queued task is not running (a pool, a breaker, maxParallel); null when it just waits for a slot.</summary>
    public string? WaitReason
    {
        readonly get => _extras?.WaitReason;
        set
        {
            if (value is not null || _extras is not null)
            {
                (_extras ??= new()).WaitReason = value;
            }
        }
    }

    /// <summary>Starts the next attempt: its number (returned), its start, and nothing left of the previous
    /// attempt's result. The slot dispatch and a child workflow task's attempt begin the same way.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public int BeginAttempt(DateTimeOffset now)
    {
        if (++Attempts == 1)
        {
            StartedAt = now;
        }

        AttemptStartedAt = now;
        AttemptOutcome = null;
        Output = null;
        OutputTruncated = false;
        Error = null;
        ExitCode = null;
        HttpStatus = null;
        Stderr = null;
        Worker = null;
        return Attempts;
    }

    public readonly AttemptSnapshot CurrentAttempt(int number) => new(number, AttemptStartedAt)
    {
        FinishedAt = AttemptOutcome is null ? null : AttemptFinishedAt,
        Outcome = AttemptOutcome,
        ExitCode = ExitCode,
        HttpStatus = HttpStatus,
        Error = Error,
        Stderr = Stderr,
        Worker = Worker,
    };

    private static DateTimeOffset At(long ticks) => ticks == 0 ? default : new DateTimeOffset(ticks, TimeSpan.Zero);
}

/// <summary>The parts of a <see cref="TaskSlot"/> that most tasks never set.</summary>
internal sealed class TaskSlotExtras
{
    public int? HttpStatus;
    public string? Stderr;
    public string? Worker;
    public string? CacheKey;
    public List<AttemptSnapshot>? History;
    public ITimer? RetryTimer;
    public TimeSpan RetryDelay;
    public string? WaitReason;
}
