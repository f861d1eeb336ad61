namespace Weft.Definitions;

/// <summary>What a <c>wait:</c> task does when its <see cref="WaitSpec.Timeout"/> passes first.</summary>
public enum WaitTimeoutOutcome
{
    /// <summary>The task ends timed out, which counts as a failure (the default).</summary>
    Fail,

    /// <summary>The task succeeds with an empty output.</summary>
    Succeed,
}

/// <summary>A task that waits without holding a slot, a pool place or resources: for a signal sent from
/// outside (<see cref="Signal"/>: <c>weft runs signal</c>, the API, the dashboard's Approve/Reject), for a
/// point in time (<see cref="Until"/> alone: a durable timer), or for a condition on an HTTP response
/// polled every <see cref="Every"/> (<see cref="Http"/> with <see cref="Until"/> as the condition: a
/// sensor). The scheduler keeps the wait itself; a restart or a leader takeover resumes it with its
/// remaining time.</summary>
public sealed record WaitSpec : TaskSpec
{
    /// <summary>How often a sensor polls when <c>every</c> is not given.</summary>
    public static readonly TimeSpan DefaultEvery = TimeSpan.FromSeconds(30);

    /// <summary>Always <c>wait</c>.</summary>
    public override string Kind => "wait";

    /// <summary>The name of the signal waited for (a label users see); null unless this waits for a signal.</summary>
    public string? Signal { get; init; }

    /// <summary>Without <see cref="Http"/>: the point in time to wait for (ISO 8601, may hold templates).
    /// With <see cref="Http"/>: the condition on the response that ends the wait, e.g.
    /// <c>{{ response.json.status == 'done' }}</c> (<see cref="WaitCondition"/>).</summary>
    public string? Until { get; init; }

    /// <summary>The request a sensor sends at each poll; null unless this is a sensor.</summary>
    public HttpSpec? Http { get; init; }

    /// <summary>The time between a sensor's polls.</summary>
    public TimeSpan Every { get; init; } = DefaultEvery;

    /// <summary>The longest the task waits; null for no limit.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>What happens when <see cref="Timeout"/> passes first.</summary>
    public WaitTimeoutOutcome OnTimeout { get; init; } = WaitTimeoutOutcome.Fail;

    /// <summary>What this waits for, in words: "signal 'approval'", "2026-12-03T22:00:00Z", "a condition on GET URL".</summary>
    internal string Describe() =>
        Signal is { } signal ? $"signal '{signal}'"
        : Http is { } http ? $"'{Until}' on {http.Method} {http.Url} every {Durations.Format(Every)}"
        : $"the time {Until}";
}
