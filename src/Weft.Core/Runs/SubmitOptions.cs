using Weft.Definitions;

namespace Weft;

/// <summary>Per-submission options.</summary>
public sealed class SubmitOptions
{
    /// <summary>Overrides every task's priority for this run; null keeps each task's own.</summary>
    public TaskPriority? Priority { get; set; }

    /// <summary>A run id chosen by the caller; null generates one.</summary>
    public string? RunId { get; set; }

    /// <summary>A second submission with the same key within <see cref="WeftOptions.DedupWindow"/>
    /// returns the first run instead of starting another.</summary>
    public string? DedupKey { get; set; }

    /// <summary>When the queue is full, wait for room instead of failing with <see cref="WeftQueueFullException"/>.</summary>
    public bool WaitIfQueueFull { get; set; }

    /// <summary>While memory is critical, wait for it to fall (the default) instead of failing at once
    /// with <see cref="WeftMemoryCriticalException"/>. A server turns this off: a request that waits
    /// holds its body in memory and its client gets no answer.</summary>
    public bool WaitIfMemoryCritical { get; set; } = true;

    /// <summary>Do not start the run before this time (it stays pending until then). Null: at once.
    /// At most <see cref="Durations.Maximum"/> (365 days) ahead; see <see cref="CheckNotBefore"/>.</summary>
    public DateTimeOffset? NotBefore { get; set; }

    /// <summary>A deadline for this run, on top of the workflow's own (the earlier counts). As it
    /// nears, the run's ready tasks rise in priority; nothing is cancelled. Null: the workflow's, if any.</summary>
    public DateTimeOffset? Deadline { get; set; }

    /// <summary>Who or what starts the run, recorded with it and shown in run lists (<c>api 10.0.0.7</c>,
    /// <c>cli ada@laptop</c>, <c>schedule …</c>); null records nothing.</summary>
    public string? TriggeredBy { get; set; }

    /// <summary>For a child workflow's run: the run whose <c>workflow:</c> task starts it; set by the engine.</summary>
    internal string? ParentRunId { get; set; }

    /// <summary>For a child workflow's run: the task of <see cref="ParentRunId"/> that starts it.</summary>
    internal string? ParentTaskId { get; set; }

    /// <summary>For a child workflow's run: its parent run's span, for the child's run span to link to.</summary>
    internal System.Diagnostics.ActivityContext ParentTrace { get; set; }

    /// <summary>Why a run cannot be held until <paramref name="notBefore"/> when submitted at
    /// <paramref name="now"/> (it is more than <see cref="Durations.Maximum"/> ahead), or null when it can.
    /// The message names the field as <c>notBefore</c>; front ends check with it before submitting.</summary>
    public static string? CheckNotBefore(DateTimeOffset? notBefore, DateTimeOffset now) =>
        notBefore is { } at && at - now > Durations.Maximum
            ? $"notBefore {at.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ} is more than {Durations.MaximumText} ahead; a run may be scheduled at most {Durations.MaximumText} ahead"
            : null;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for options no run may be submitted with.</summary>
    internal static void ThrowIfInvalid(SubmitOptions? options, DateTimeOffset now)
    {
        if (CheckNotBefore(options?.NotBefore, now) is { } problem)
        {
            throw new ArgumentOutOfRangeException(nameof(NotBefore), options!.NotBefore, problem);
        }
    }
}
