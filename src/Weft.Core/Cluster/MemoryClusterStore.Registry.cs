using System.Runtime.CompilerServices;
using Weft.Storage;

namespace Weft.Cluster;

/// <summary>Registered workflows and schedules, shared by every handle on the same data (as two
/// schedulers on one database share them).</summary>
public sealed partial class MemoryClusterStore : IRegistryStore
{
    // Kept beside the shared data rather than in it, so the cluster's own data class stays about the cluster.
    private static readonly ConditionalWeakTable<MemoryClusterData, MemoryRegistryStore> Registries = [];

    private MemoryRegistryStore Registry => Registries.GetValue(_data, static _ => new MemoryRegistryStore());

    /// <inheritdoc />
    public ValueTask<(StoredWorkflow Workflow, bool Created)> RegisterWorkflowAsync(StoredWorkflow workflow, CancellationToken cancellationToken = default) =>
        Registry.RegisterWorkflowAsync(workflow, cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredWorkflow?> GetWorkflowAsync(string name, int? version = null, CancellationToken cancellationToken = default) =>
        Registry.GetWorkflowAsync(name, version, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredWorkflow>> ListWorkflowVersionsAsync(string name, CancellationToken cancellationToken = default) =>
        Registry.ListWorkflowVersionsAsync(name, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredWorkflow>> ListLatestWorkflowsAsync(CancellationToken cancellationToken = default) =>
        Registry.ListLatestWorkflowsAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredSchedule>> ListSchedulesAsync(CancellationToken cancellationToken = default) =>
        Registry.ListSchedulesAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredSchedule?> GetScheduleAsync(string workflow, CancellationToken cancellationToken = default) =>
        Registry.GetScheduleAsync(workflow, cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredSchedule> AddScheduleAsync(string workflow, DateTimeOffset evaluated, CancellationToken cancellationToken = default) =>
        Registry.AddScheduleAsync(workflow, evaluated, cancellationToken);

    /// <inheritdoc />
    public ValueTask RemoveScheduleAsync(string workflow, CancellationToken cancellationToken = default) =>
        Registry.RemoveScheduleAsync(workflow, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> SetSchedulePausedAsync(string workflow, bool paused, DateTimeOffset? evaluated = null, CancellationToken cancellationToken = default) =>
        Registry.SetSchedulePausedAsync(workflow, paused, evaluated, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> AdvanceScheduleAsync(string workflow, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        Registry.AdvanceScheduleAsync(workflow, from, to, cancellationToken);

    /// <inheritdoc />
    public ValueTask RecordScheduleRunAsync(string workflow, DateTimeOffset? tick, string runId, CancellationToken cancellationToken = default) =>
        Registry.RecordScheduleRunAsync(workflow, tick, runId, cancellationToken);
}
