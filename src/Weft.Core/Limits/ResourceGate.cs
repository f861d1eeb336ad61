using Weft.Scheduling;

namespace Weft.Limits;

/// <summary>The capacities of this worker process (cpu, memory, custom resources such as gpu) and
/// what running tasks hold. A task starts only when everything it declares is free; tasks that do
/// not fit wait here in order (the first in line goes first, so a large task is not starved by
/// small ones behind it).</summary>
internal sealed class ResourceGate(IReadOnlyDictionary<string, double> capacity)
{
    private readonly Dictionary<string, double> _inUse = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, double> Capacity { get; } = capacity;

    public Queue<WorkItem> Waiting { get; } = new();

    /// <summary>Why a task can never run here, or null when it fits an idle process.</summary>
    public string? NeverFits(string taskId, IReadOnlyDictionary<string, double> needs)
    {
        foreach (var (name, amount) in needs)
        {
            var have = Capacity.GetValueOrDefault(name);
            if (amount > have)
            {
                return $"task '{taskId}' needs {name}: {Definitions.ResourceSizes.Format(name, amount)}, but this engine has {name}: {Definitions.ResourceSizes.Format(name, have)} in all" +
                    (Capacity.ContainsKey(name) ? "" : $" (set WeftOptions.Resources[\"{name}\"])");
            }
        }

        return null;
    }

    public bool Fits(IReadOnlyDictionary<string, double> needs)
    {
        foreach (var (name, amount) in needs)
        {
            if (_inUse.GetValueOrDefault(name) + amount > Capacity.GetValueOrDefault(name) + 1e-9)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Holds what a starting task declared; call after <see cref="Fits"/> said yes.</summary>
    public void Hold(IReadOnlyDictionary<string, double> needs)
    {
        foreach (var (name, amount) in needs)
        {
            _inUse[name] = _inUse.GetValueOrDefault(name) + amount;
        }
    }

    public void Release(IReadOnlyDictionary<string, double> needs)
    {
        foreach (var (name, amount) in needs)
        {
            _inUse[name] = Math.Max(0, _inUse.GetValueOrDefault(name) - amount);
        }
    }

    public string WaitReason(IReadOnlyDictionary<string, double> needs) =>
        "waiting for resources (" + string.Join(", ", needs.Select(n =>
            $"{n.Key}: {Definitions.ResourceSizes.Format(n.Key, n.Value)} of {Definitions.ResourceSizes.Format(n.Key, Capacity.GetValueOrDefault(n.Key) - _inUse.GetValueOrDefault(n.Key))} free")) + ")";
}
