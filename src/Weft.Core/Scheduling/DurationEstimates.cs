using Weft.Definitions;

namespace Weft.Scheduling;

/// <summary>Typical durations of successful attempts per (workflow name, task id), learned as runs
/// finish, so plans compiled later weigh the critical path by what tasks really take rather than by
/// a guess. Used under the engine's lock only: plans are bound here, and attempts are recorded
/// through <see cref="PlanDurations"/> by the scheduler.</summary>
internal sealed class DurationEstimates
{
    // A bound so an engine fed endless distinct workflow names does not grow without end; names
    // beyond it simply keep the static estimate.
    private const int MaxWorkflows = 1024;

    private readonly Dictionary<string, WorkflowDurations> _byWorkflow = new(StringComparer.Ordinal);

    /// <summary>The recorder for a plan of <paramref name="definition"/>, and the measured weight of
    /// each task (NaN where nothing is known yet); null when no more workflows are tracked.</summary>
    public (PlanDurations? Recorder, double[]? Weights) For(WorkflowDefinition definition)
    {
        if (!_byWorkflow.TryGetValue(definition.Name, out var durations))
        {
            if (_byWorkflow.Count >= MaxWorkflows)
            {
                return (null, null);
            }

            durations = new WorkflowDurations();
            _byWorkflow.Add(definition.Name, durations);
        }

        var slots = durations.SlotsOf(definition.Tasks);
        if (!durations.AnyKnown)
        {
            return (new PlanDurations(durations, slots), null);
        }

        // By position the weights are the averages as they are now (a copy: the plan is compiled
        // outside the engine's lock, while attempts of other runs record).
        var weights = slots is null ? durations.AveragesMs[..definition.Tasks.Count] : new double[slots.Length];
        var known = slots is null;
        for (var i = 0; slots is not null && i < slots.Length; i++)
        {
            weights[i] = durations.AverageMs(slots[i]);
            known |= !double.IsNaN(weights[i]);
        }

        return (new PlanDurations(durations, slots), known ? weights : null);
    }
}
