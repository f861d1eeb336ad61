namespace Weft.Storage;

/// <summary>Registered workflows and the state of their schedules, kept in the store so they survive a
/// restart and are shared by every engine (every <c>weft server</c>) on the store. A separate contract
/// from <see cref="IWeftStore"/>: the memory, SQLite and PostgreSQL stores implement both; an engine on
/// a store without it keeps its registry in memory.</summary>
public interface IRegistryStore
{
    /// <summary>Registers <paramref name="workflow"/> under its name. When a version of that name with the
    /// same <see cref="StoredWorkflow.Hash"/> exists it is returned unchanged (Created false); otherwise
    /// the workflow is stored as the next version (its given <see cref="StoredWorkflow.Version"/> is ignored).
    /// Safe when several processes register at once: each version number is given once.</summary>
    ValueTask<(StoredWorkflow Workflow, bool Created)> RegisterWorkflowAsync(StoredWorkflow workflow, CancellationToken cancellationToken = default);

    /// <summary>One version of a workflow (the latest when <paramref name="version"/> is null); null when unknown.</summary>
    ValueTask<StoredWorkflow?> GetWorkflowAsync(string name, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>Every version of one workflow, oldest first; empty when unknown.</summary>
    ValueTask<IReadOnlyList<StoredWorkflow>> ListWorkflowVersionsAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The latest version of every registered workflow, by name (ordinal).</summary>
    ValueTask<IReadOnlyList<StoredWorkflow>> ListLatestWorkflowsAsync(CancellationToken cancellationToken = default);

    /// <summary>Every schedule, by workflow name (ordinal).</summary>
    ValueTask<IReadOnlyList<StoredSchedule>> ListSchedulesAsync(CancellationToken cancellationToken = default);

    /// <summary>One workflow's schedule; null when it has none.</summary>
    ValueTask<StoredSchedule?> GetScheduleAsync(string workflow, CancellationToken cancellationToken = default);

    /// <summary>Adds a schedule for <paramref name="workflow"/>, active and evaluated up to
    /// <paramref name="evaluated"/>, unless it has one already (which is kept as it is: its pause state
    /// and evaluation outlive a new version). Returns the schedule as stored.</summary>
    ValueTask<StoredSchedule> AddScheduleAsync(string workflow, DateTimeOffset evaluated, CancellationToken cancellationToken = default);

    /// <summary>Removes a workflow's schedule (its latest version has none); nothing when it has none.</summary>
    ValueTask RemoveScheduleAsync(string workflow, CancellationToken cancellationToken = default);

    /// <summary>Pauses or resumes a schedule; with <paramref name="evaluated"/> also sets how far its ticks
    /// count as dealt with. False when the workflow has no schedule.</summary>
    ValueTask<bool> SetSchedulePausedAsync(string workflow, bool paused, DateTimeOffset? evaluated = null, CancellationToken cancellationToken = default);

    /// <summary>Compare-and-set of a schedule's evaluation: moves it from <paramref name="from"/> to
    /// <paramref name="to"/> only if it is still at <paramref name="from"/>. The one caller that gets true
    /// owns the ticks in between; every other (another engine on the store) gets false and fires nothing.</summary>
    ValueTask<bool> AdvanceScheduleAsync(string workflow, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>Records the run a schedule last started: for a tick (<paramref name="tick"/> set, which
    /// becomes its last tick) or a manual trigger (null: the last tick stays). Nothing when it has no schedule.</summary>
    ValueTask RecordScheduleRunAsync(string workflow, DateTimeOffset? tick, string runId, CancellationToken cancellationToken = default);
}

/// <summary>One registered version of a workflow: the text it was registered from (<see cref="Source"/>,
/// read as <see cref="SourceName"/> says: YAML or JSON) and its hash, which tells versions apart.</summary>
public sealed record StoredWorkflow(string Name, int Version, string Hash, DateTimeOffset RegisteredAt, string Source, string SourceName);

/// <summary>The state of one workflow's schedule. Ticks at or before <see cref="Evaluated"/> have been dealt
/// with (started, skipped or paused through); an engine that starts after downtime sees the ticks after it.</summary>
public sealed record StoredSchedule(string Workflow, bool Paused, DateTimeOffset Evaluated, DateTimeOffset? LastTick, string? LastRunId);
