namespace Weft.Storage;

/// <summary>The in-memory <see cref="IRegistryStore"/>: used by <see cref="MemoryStore"/> and the memory
/// cluster store, and by an engine whose store has no registry of its own. Thread-safe.</summary>
internal sealed class MemoryRegistryStore : IRegistryStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, List<StoredWorkflow>> _workflows = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, StoredSchedule> _schedules = new(StringComparer.Ordinal);

    public ValueTask<(StoredWorkflow Workflow, bool Created)> RegisterWorkflowAsync(StoredWorkflow workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        lock (_gate)
        {
            if (!_workflows.TryGetValue(workflow.Name, out var versions))
            {
                _workflows[workflow.Name] = versions = [];
            }

            if (versions.Find(v => v.Hash == workflow.Hash) is { } same)
            {
                return new((same, false));
            }

            var stored = workflow with { Version = versions.Count + 1 };
            versions.Add(stored);
            return new((stored, true));
        }
    }

    public ValueTask<StoredWorkflow?> GetWorkflowAsync(string name, int? version = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return new(!_workflows.TryGetValue(name, out var versions) ? null
                : version is { } v ? versions.Find(x => x.Version == v) : versions[^1]);
        }
    }

    public ValueTask<IReadOnlyList<StoredWorkflow>> ListWorkflowVersionsAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return new(_workflows.TryGetValue(name, out var versions) ? [.. versions] : []);
        }
    }

    public ValueTask<IReadOnlyList<StoredWorkflow>> ListLatestWorkflowsAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return new([.. _workflows.Values.Select(v => v[^1])]);
        }
    }

    public ValueTask<IReadOnlyList<StoredSchedule>> ListSchedulesAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return new([.. _schedules.Values]);
        }
    }

    public ValueTask<StoredSchedule?> GetScheduleAsync(string workflow, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return new(_schedules.GetValueOrDefault(workflow));
        }
    }

    public ValueTask<StoredSchedule> AddScheduleAsync(string workflow, DateTimeOffset evaluated, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_schedules.TryGetValue(workflow, out var schedule))
            {
                _schedules[workflow] = schedule = new StoredSchedule(workflow, false, evaluated, null, null);
            }

            return new(schedule);
        }
    }

    public ValueTask RemoveScheduleAsync(string workflow, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _schedules.Remove(workflow);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> SetSchedulePausedAsync(string workflow, bool paused, DateTimeOffset? evaluated = null, CancellationToken cancellationToken = default) =>
        new(Change(workflow, s => s with { Paused = paused, Evaluated = evaluated ?? s.Evaluated }));

    public ValueTask<bool> AdvanceScheduleAsync(string workflow, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_schedules.TryGetValue(workflow, out var schedule) || schedule.Evaluated != from)
            {
                return new(false);
            }

            _schedules[workflow] = schedule with { Evaluated = to };
            return new(true);
        }
    }

    public ValueTask RecordScheduleRunAsync(string workflow, DateTimeOffset? tick, string runId, CancellationToken cancellationToken = default)
    {
        Change(workflow, s => s with { LastTick = tick ?? s.LastTick, LastRunId = runId });
        return ValueTask.CompletedTask;
    }

    private bool Change(string workflow, Func<StoredSchedule, StoredSchedule> change)
    {
        lock (_gate)
        {
            if (!_schedules.TryGetValue(workflow, out var schedule))
            {
                return false;
            }

            _schedules[workflow] = change(schedule);
            return true;
        }
    }
}
