namespace Weft.Server.Api;

// The JSON shapes of the REST API (camelCase on the wire; states in snake_case, times ISO-8601).

/// <summary>POST /api/runs. Either <see cref="Definition"/> (YAML or JSON text) or <see cref="Workflow"/>
/// (a registered name, optionally at <see cref="Version"/>).</summary>
internal sealed record SubmitRequest(
    string? Definition = null,
    string? FileName = null,
    string? Workflow = null,
    int? Version = null,
    Dictionary<string, string>? Params = null,
    string? Priority = null,
    string? DedupKey = null,
    DateTimeOffset? NotBefore = null,
    string? TriggeredBy = null);

internal sealed record SubmitResponse(string RunId, string State, bool Deduplicated, DateTimeOffset? NotBefore);

internal sealed record RunSummaryView(string RunId, string Workflow, string State, DateTimeOffset SubmittedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    string? TriggeredBy = null, string? ParentRunId = null, string? ParentTaskId = null);

/// <summary>A child run that a <c>workflow:</c> task of the run started (one per attempt).</summary>
internal sealed record ChildRunView(string RunId, string Workflow, string State, string? ParentTaskId);

internal sealed record RunListView(IReadOnlyList<RunSummaryView> Items, int Offset, int Limit, bool HasMore);

internal sealed record RunView(
    string RunId,
    string Workflow,
    string State,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    long? DurationMs,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyList<TaskView> Tasks,
    string? TriggeredBy = null,
    string? ParentRunId = null,
    string? ParentTaskId = null,
    IReadOnlyList<ChildRunView>? Children = null);

/// <summary>A task with its place in the DAG: <see cref="Level"/> 0 for tasks with no dependencies,
/// else one more than its deepest dependency.</summary>
internal sealed record TaskView(
    string TaskId,
    string Kind,
    string State,
    int Level,
    IReadOnlyList<string> DependsOn,
    int Attempts,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Output,
    bool OutputTruncated,
    string? Error,
    int? ExitCode,
    string? WaitReason,
    DateTimeOffset? RetryDueAt,
    IReadOnlyList<AttemptView> AttemptHistory);

internal sealed record AttemptView(int Number, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string? Outcome, int? ExitCode, int? HttpStatus, string? Error, string? Stderr, string? Worker);

internal sealed record OutputView(string RunId, string TaskId, int? Attempt, string? Output);

internal sealed record EventView(string Kind, string RunId, DateTimeOffset At, string? TaskId, int Attempt, string? RunState, string? Error, double? RetryDelayMs);

internal sealed record ControlResponse(string RunId, string Action, string State);

/// <summary>A worker: the server's own slots, or a cluster worker process (whose busy and idle slots
/// the server does not know: null).</summary>
internal sealed record WorkerView(string Name, int Pid, int Slots, int? Busy, int? Idle, DateTimeOffset HeartbeatAt)
{
    public string? Host { get; init; }
    public IReadOnlyList<string>? Queues { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public bool Stopped { get; init; }

    /// <summary>A cluster worker whose lease ran out: the scheduler runs its tasks again elsewhere.</summary>
    public bool Lost { get; init; }
}

internal sealed record ServerInfoView(string Version, bool ReadOnly, bool TokenRequired);

internal sealed record RegisterWorkflowRequest(string? Definition = null, string? FileName = null);

internal sealed record WorkflowView(string Name, int Version, string Hash, DateTimeOffset RegisteredAt, string? Description, int Tasks, IReadOnlyList<string> Params, string? Cron);

internal sealed record WorkflowVersionsView(string Name, IReadOnlyList<WorkflowView> Versions);

internal sealed record WorkflowSourceView(WorkflowView Workflow, string Source)
{
    /// <summary>The tasks with their dependencies and DAG levels, so the dashboard can draw the graph.</summary>
    public IReadOnlyList<WorkflowTaskView> Tasks { get; init; } = [];

    /// <summary>The parameters in full, so the dashboard can build a form to start a run.</summary>
    public IReadOnlyList<ParamView> Parameters { get; init; } = [];
}

internal sealed record WorkflowTaskView(string TaskId, string Kind, int Level, IReadOnlyList<string> DependsOn);

/// <summary>A parameter as a form needs it; a secret one's default is never sent (<see cref="HasDefault"/> says whether it has one).</summary>
internal sealed record ParamView(string Name, string? Default, bool HasDefault, string? Description, bool Required, bool Secret);

internal sealed record ScheduleView(string Workflow, string Cron, string TimeZone, string CatchUp, bool Paused, DateTimeOffset? NextTick, DateTimeOffset? LastTick, string? LastRunId)
{
    /// <summary>The next few ticks from <see cref="NextTick"/> on; empty while paused.</summary>
    public IReadOnlyList<DateTimeOffset> NextTicks { get; init; } = [];
}
