using Weft.Definitions;

namespace Weft.Scheduling;

/// <summary>Exponential moving averages of one workflow's task durations, by slot. A slot is a task
/// id; the slots of a workflow's first definition are its task positions, so a definition whose ids
/// line up with them (the same workflow submitted again, or grown at its end) is matched without any
/// table: a table of ids is built only the first time a definition of the workflow does not line up.
/// For a workflow of a million tasks that table was some 35 MB held for as long as the engine ran.</summary>
internal sealed class WorkflowDurations
{
    // Weight of the newest sample: recent runs count most, one outlier does not dominate.
    private const double Smoothing = 0.3;

    private string[] _ids = [];
    private double[] _averageMs = [];
    private int _count;
    private Dictionary<string, int>? _byId;

    /// <summary>True once any duration is recorded.</summary>
    public bool AnyKnown { get; private set; }

    /// <summary>The slot of each of <paramref name="tasks"/>, adding those not seen before; null when
    /// each task's slot is its position.</summary>
    public int[]? SlotsOf(IReadOnlyList<TaskDefinition> tasks)
    {
        if (_byId is null && LinesUp(tasks))
        {
            for (var i = _count; i < tasks.Count; i++)
            {
                Add(tasks[i].Id); // new at the end: unique ids cannot match one already held
            }

            return null;
        }

        if (_byId is null)
        {
            _byId = new Dictionary<string, int>(_count, StringComparer.Ordinal);
            for (var s = 0; s < _count; s++)
            {
                _byId.Add(_ids[s], s);
            }
        }

        var slots = new int[tasks.Count];
        for (var i = 0; i < slots.Length; i++)
        {
            var id = tasks[i].Id;
            if (!_byId.TryGetValue(id, out slots[i]))
            {
                slots[i] = Add(id);
                _byId.Add(id, slots[i]);
            }
        }

        return slots;
    }

    /// <summary>The averages by slot (NaN where none is known), live; longer than the slots in use.</summary>
    public double[] AveragesMs => _averageMs;

    public double AverageMs(int slot) => _averageMs[slot];

    public void Record(int slot, TimeSpan elapsed)
    {
        var ms = elapsed.TotalMilliseconds;
        ref var average = ref _averageMs[slot];
        average = double.IsNaN(average) ? ms : average + (Smoothing * (ms - average));
        AnyKnown = true;
    }

    private bool LinesUp(IReadOnlyList<TaskDefinition> tasks)
    {
        var common = Math.Min(_count, tasks.Count);
        for (var i = 0; i < common; i++)
        {
            if (!string.Equals(_ids[i], tasks[i].Id, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private int Add(string id)
    {
        if (_count == _ids.Length)
        {
            var size = Math.Max(8, _count * 2);
            Array.Resize(ref _ids, size);
            var grown = new double[size];
            Array.Fill(grown, double.NaN);
            _averageMs.CopyTo(grown, 0);
            _averageMs = grown;
        }

        _ids[_count] = id;
        return _count++;
    }
}
