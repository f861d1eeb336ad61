using Weft.Definitions;

namespace Weft.Storage;

/// <summary>A run as accepted at submit: what to run and with which parameters. Its tasks start
/// pending; their states reach the store as they change.</summary>
public sealed record RunRecord(string RunId, WorkflowDefinition Definition, IReadOnlyDictionary<string, string> Params, DateTimeOffset SubmittedAt)
{
    /// <summary>Priority override given at submit, if any.</summary>
    public TaskPriority? Priority { get; init; }

    /// <summary>Not to start before this time (<see cref="SubmitOptions.NotBefore"/>), if given: a run
    /// taken up after a restart, or by a cluster's scheduler, still waits for it.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>The run's deadline given at submit (<see cref="SubmitOptions.Deadline"/>), if any; the
    /// workflow's own deadlines are resolved from <see cref="SubmittedAt"/> again.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>The engine that runs it, with its first lease (see <see cref="IWeftStore.TakeRunAsync"/>);
    /// null for a run nobody runs yet (a cluster's runs, whose one scheduler is its leader).</summary>
    public RunOwner? Owner { get; init; }

    /// <summary>Who or what started the run, as users see it: <c>api 10.0.0.7</c>, <c>cli ada@laptop</c>,
    /// <c>schedule 2026-12-03T02:00:00Z</c>, <c>dashboard …</c>, <c>retry of RUN</c>; null when not recorded.</summary>
    public string? TriggeredBy { get; init; }

    /// <summary>For a child workflow's run (a <c>workflow:</c> task): the run that started it; null otherwise.</summary>
    public string? ParentRunId { get; init; }

    /// <summary>For a child workflow's run: the task of <see cref="ParentRunId"/> that started it; null otherwise.</summary>
    public string? ParentTaskId { get; init; }
}
