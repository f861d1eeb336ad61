using Weft.Definitions;

namespace Weft.Scheduling;

internal enum TriggerDecision
{
    Wait,
    Run,
    Skip,
    UpstreamFailed,
}

/// <summary>Airflow's trigger rules over a task's parent counts. Decisions that cannot change once
/// made (a failure under all_success, a success under one_success) are taken eagerly, without
/// waiting for the remaining parents.</summary>
internal static class TriggerRules
{
    public static TriggerDecision Decide(TriggerRule rule, in TaskSlot slot, int parents)
    {
        if (parents == 0)
        {
            return TriggerDecision.Run;
        }

        var allDone = slot.PendingParents == 0;
        var s = slot.SucceededParents;
        var f = slot.FailedParents;
        var k = slot.SkippedParents;
        return rule switch
        {
            TriggerRule.AllSuccess => f > 0 ? TriggerDecision.UpstreamFailed
                : !allDone ? TriggerDecision.Wait
                : k > 0 ? TriggerDecision.Skip
                : TriggerDecision.Run,
            TriggerRule.AllDone => allDone ? TriggerDecision.Run : TriggerDecision.Wait,
            TriggerRule.AllFailed => s > 0 || k > 0 ? TriggerDecision.Skip
                : allDone ? TriggerDecision.Run : TriggerDecision.Wait,
            TriggerRule.OneSuccess => s > 0 ? TriggerDecision.Run
                : !allDone ? TriggerDecision.Wait
                : f > 0 ? TriggerDecision.UpstreamFailed : TriggerDecision.Skip,
            TriggerRule.OneFailed => f > 0 ? TriggerDecision.Run
                : allDone ? TriggerDecision.Skip : TriggerDecision.Wait,
            TriggerRule.NoneFailed => f > 0 ? TriggerDecision.UpstreamFailed
                : allDone ? TriggerDecision.Run : TriggerDecision.Wait,
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
        };
    }
}
