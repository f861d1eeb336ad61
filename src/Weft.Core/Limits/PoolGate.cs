using Weft.Scheduling;

namespace Weft.Limits;

/// <summary>A concurrency pool (Airflow's pools): at most <see cref="Size"/> of its tasks run at
/// once across all runs; the others wait here, in order, without holding a slot.</summary>
internal sealed class PoolGate(string name, int size)
{
    public string Name { get; } = name;

    public int Size { get; set; } = size;

    public int InUse { get; set; }

    public Queue<WorkItem> Waiting { get; } = new();

    public bool IsFull => InUse >= Size;

    public string WaitReason => $"waiting for pool '{Name}' ({InUse}/{Size} in use)";
}
