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
    }

    public static string? Timeout(TimeSpan? timeout) =>
        timeout <= TimeSpan.Zero ? $"timeout must be more than zero, not {Durations.Format(timeout.Value)}" : null;

    /// <summary>Pool, breaker, rate limit and queue names follow one rule, so they read the same
    /// everywhere they are shown.</summary>
    public static bool IsLimitName(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
}
