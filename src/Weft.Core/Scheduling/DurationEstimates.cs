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

        var slots = new int[definition.Tasks.Count];
        var weights = new double[slots.Length];
        var known = false;
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i] = durations.SlotOf(definition.Tasks[i].Id);
            weights[i] = durations.AverageMs(slots[i]);
            known |= !double.IsNaN(weights[i]);
        }

        return (new PlanDurations(durations, slots), known ? weights : null);
    }
}

/// <summary>Exponential moving averages of one workflow's task durations, by slot.</summary>
internal sealed class WorkflowDurations
{
    // Weight of the newest sample: recent runs count most, one outlier does not dominate.
    private const double Smoothing = 0.3;

    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private double[] _averageMs = [];

    public int SlotOf(string taskId)
    {
        if (!_slots.TryGetValue(taskId, out var slot))
        {
            slot = _slots.Count;
            _slots.Add(taskId, slot);
            if (slot >= _averageMs.Length)
            {
                var grown = new double[Math.Max(8, _averageMs.Length * 2)];
                Array.Fill(grown, double.NaN);
                _averageMs.CopyTo(grown, 0);
                _averageMs = grown;
            }
        }

        return slot;
    }

    public double AverageMs(int slot) => _averageMs[slot];

    public void Record(int slot, TimeSpan elapsed)
    {
        var ms = elapsed.TotalMilliseconds;
        ref var average = ref _averageMs[slot];
        average = double.IsNaN(average) ? ms : average + (Smoothing * (ms - average));
    }
}

/// <summary>Where a plan's task durations are recorded: task index to slot, without hashing on the hot path.</summary>
internal sealed class PlanDurations(WorkflowDurations durations, int[] slots)
{
    public void Record(int task, TimeSpan elapsed) => durations.Record(slots[task], elapsed);
}
