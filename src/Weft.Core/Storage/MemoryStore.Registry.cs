namespace Weft.Storage;

/// <summary>Registered workflows and schedules of the ephemeral store: as long-lived as its runs.</summary>
public sealed partial class MemoryStore : IRegistryStore
{
    private readonly MemoryRegistryStore _registry = new();

    /// <inheritdoc />
    public ValueTask<(StoredWorkflow Workflow, bool Created)> RegisterWorkflowAsync(StoredWorkflow workflow, CancellationToken cancellationToken = default) =>
        _registry.RegisterWorkflowAsync(workflow, cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredWorkflow?> GetWorkflowAsync(string name, int? version = null, CancellationToken cancellationToken = default) =>
        _registry.GetWorkflowAsync(name, version, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredWorkflow>> ListWorkflowVersionsAsync(string name, CancellationToken cancellationToken = default) =>
        _registry.ListWorkflowVersionsAsync(name, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredWorkflow>> ListLatestWorkflowsAsync(CancellationToken cancellationToken = default) =>
        _registry.ListLatestWorkflowsAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredSchedule>> ListSchedulesAsync(CancellationToken cancellationToken = default) =>
        _registry.ListSchedulesAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredSchedule?> GetScheduleAsync(string workflow, CancellationToken cancellationToken = default) =>
        _registry.GetScheduleAsync(workflow, cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredSchedule> AddScheduleAsync(string workflow, DateTimeOffset evaluated, CancellationToken cancellationToken = default) =>
        _registry.AddScheduleAsync(workflow, evaluated, cancellationToken);

    /// <inheritdoc />
    public ValueTask RemoveScheduleAsync(string workflow, CancellationToken cancellationToken = default) =>
        _registry.RemoveScheduleAsync(workflow, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> SetSchedulePausedAsync(string workflow, bool paused, DateTimeOffset? evaluated = null, CancellationToken cancellationToken = default) =>
        _registry.SetSchedulePausedAsync(workflow, paused, evaluated, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> AdvanceScheduleAsync(string workflow, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        _registry.AdvanceScheduleAsync(workflow, from, to, cancellationToken);

    /// <inheritdoc />
    public ValueTask RecordScheduleRunAsync(string workflow, DateTimeOffset? tick, string runId, CancellationToken cancellationToken = default) =>
        _registry.RecordScheduleRunAsync(workflow, tick, runId, cancellationToken);
}
