namespace Weft.Definitions;

/// <summary>Range checks on values a record can hold but a workflow must not. Shared by the file
/// reader (which reports them at the value's place, once, even for defaults) and the validator
/// (which reports them for definitions built in C#).</summary>
internal static class ValueChecks
{
    /// <summary>Problems with a retry policy, each with the field it concerns.</summary>
    public static IEnumerable<(string Field, string Message)> Retry(RetryPolicy policy)
    {
        if (policy.MaxAttempts < 1)
        {
            yield return ("maxAttempts", $"maxAttempts must be at least 1, not {policy.MaxAttempts}");
        }

        if (policy.Strategy == RetryStrategy.None && policy.MaxAttempts > 1)
        {
            yield return ("maxAttempts", $"strategy 'none' makes one attempt, so maxAttempts {policy.MaxAttempts} cannot apply; choose another strategy");
        }

        if (!(policy.Multiplier > 0) || double.IsInfinity(policy.Multiplier))
        {
            yield return ("multiplier", $"multiplier must be more than 0, not {policy.Multiplier}");
        }

        if (policy.Delay < TimeSpan.Zero)
        {
            yield return ("delay", "delay must not be negative");
        }

        if (policy.MaxDelay < TimeSpan.Zero)
        {
            yield return ("maxDelay", "maxDelay must not be negative");
        }

        var tooLong = false;
        foreach (var (field, value) in new[] { ("delay", policy.Delay), ("maxDelay", policy.MaxDelay ?? TimeSpan.Zero) })
        {
            if (Durations.TooLong(field, value) is { } problem)
            {
                tooLong = true;
                yield return (field, problem);
            }
        }

        // Each value may be in range while their product is not: delay × multiplier^(attempts − 2).
        if (!tooLong && policy.Multiplier > 0 && policy.LongestDelay() > Durations.Maximum)
        {
            var growth = policy.Strategy == RetryStrategy.Exponential
                ? $"delay {Durations.Format(policy.Delay)} × multiplier {policy.Multiplier.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
                : $"delay {Durations.Format(policy.Delay)} growing by {policy.Strategy.ToString().ToLowerInvariant()}";
            yield return (policy.Strategy == RetryStrategy.Exponential ? "multiplier" : "maxAttempts",
                $"the wait before attempt {policy.MaxAttempts} ({growth}) is longer than the maximum of {Durations.MaximumText}; " +
                $"set 'maxDelay' to at most {Durations.MaximumText}, or lower 'delay', 'multiplier' or 'maxAttempts'");
        }
    }

    /// <summary>A timeout must be positive and at most <see cref="Durations.Maximum"/>.</summary>
    public static string? Timeout(TimeSpan? timeout) =>
        timeout <= TimeSpan.Zero ? $"timeout must be more than zero, not {Durations.Format(timeout.Value)}"
        : timeout is { } value ? Durations.TooLong("timeout", value)
        : null;

    /// <summary>A deadline given as a duration after submit is at most <see cref="Durations.Maximum"/>;
    /// one given as a time is not limited (it adds nothing to a time, so it cannot overflow one).</summary>
    public static string? Deadline(DeadlineSpec? deadline) =>
        deadline?.After is { } after ? Durations.TooLong("deadline", after) : null;

    /// <summary>Pool, breaker, rate limit and queue names follow one rule, so they read the same
    /// everywhere they are shown.</summary>
    public static bool IsLimitName(string text) => Names.IsLimitName(text);
}
