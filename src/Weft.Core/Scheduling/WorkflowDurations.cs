namespace Weft.Scheduling;

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
