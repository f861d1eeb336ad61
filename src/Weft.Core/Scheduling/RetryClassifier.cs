using Weft.Definitions;
using Weft.Execution;

namespace Weft.Scheduling;

/// <summary>Which failures a retry policy's <c>retryOn</c> accepts. The same classification will
/// decide what counts against a circuit breaker.</summary>
internal static class RetryClassifier
{
    public static bool ShouldRetry(RetryPolicy policy, int attemptsSoFar, in TaskOutcome outcome) =>
        policy.Strategy != RetryStrategy.None
        && attemptsSoFar < policy.MaxAttempts
        && Matches(policy.RetryOn, outcome);

    public static bool Matches(IReadOnlyList<RetryCondition>? conditions, in TaskOutcome outcome)
    {
        if (conditions is null)
        {
            return true;
        }

        foreach (var c in conditions)
        {
            var hit = c.Kind switch
            {
                RetryConditionKind.ExitCode => outcome.ExitCode == c.Value,
                RetryConditionKind.HttpStatus => outcome.HttpStatus == c.Value,
                RetryConditionKind.HttpStatusClass => outcome.HttpStatus / 100 == c.Value,
                RetryConditionKind.Timeout => outcome.Status == TaskOutcomeStatus.TimedOut,
                RetryConditionKind.Error => outcome.Status == TaskOutcomeStatus.Failed && outcome.ExitCode is null && outcome.HttpStatus is null,
                _ => false,
            };
            if (hit)
            {
                return true;
            }
        }

        return false;
    }
}
