namespace Weft.Definitions;

/// <summary>One task of a workflow. <see cref="Spec"/> carries the kind and its kind-specific fields.</summary>
public sealed record TaskDefinition(string Id, TaskSpec Spec)
{
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>Wall-clock limit for one attempt; null means none.</summary>
    public TimeSpan? Timeout { get; init; }

    public RetryPolicy Retry { get; init; } = RetryPolicy.None;

    public TaskPriority Priority { get; init; } = TaskPriority.Normal;

    public TriggerRule Trigger { get; init; } = TriggerRule.AllSuccess;

    /// <summary>When the task should be done; nearing it raises the task's priority. Null: the run's
    /// deadline, if any. When both are set the earlier one counts.</summary>
    public DeadlineSpec? Deadline { get; init; }

    /// <summary>Where the task's id stands in its file.</summary>
    public SourceLocation? Location { get; init; }

    public string Kind => Spec.Kind;
}
