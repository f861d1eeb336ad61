using Weft.Definitions;
using Weft.Storage;

namespace Weft.Cluster;

/// <summary>What every handle of one in-process cluster shares (the "database" of
/// <see cref="MemoryClusterStore"/> and its peers). Guarded by <see cref="Gate"/>.</summary>
internal sealed class MemoryClusterData(TimeProvider time)
{
    public Lock Gate { get; } = new();

    public TimeProvider Time { get; } = time;

    public MemoryStore Runs { get; } = new();

    /// <summary>Content hash of each run's definition.</summary>
    public Dictionary<string, string> RunHashes { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, WorkflowDefinition> Definitions { get; } = new(StringComparer.Ordinal);

    /// <summary>Queue rows by id; ids increase, so key order is queue order.</summary>
    public SortedDictionary<long, MemoryQueueRow> Queue { get; } = [];

    /// <summary>Ids of rows no worker holds, so a claim does not walk past held ones.</summary>
    public SortedSet<long> Unclaimed { get; } = [];

    public long LastQueueId { get; set; }

    public long LastCompletion { get; set; }

    public Dictionary<string, WorkerInfo> Workers { get; } = new(StringComparer.Ordinal);

    public MemoryLeadership? Leader { get; set; }

    /// <summary>Open handles, each listening for signals like one process's connection.</summary>
    public List<MemoryClusterStore> Handles { get; } = [];
}
