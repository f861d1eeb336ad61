namespace Weft.Definitions;

/// <summary>Runs another workflow as a run of its own (<c>workflow: load-region</c> with task-level
/// <c>params:</c>): the task succeeds or fails with that child run, and its output is a JSON object of the
/// child's task outputs by task id. The scheduler holds the task while the child runs: it takes no slot.</summary>
/// <param name="Workflow">A registered workflow's name, or a path to a workflow file relative to the file
/// that names it (a value ending in <c>.yaml</c>, <c>.yml</c> or <c>.json</c>, or holding a <c>/</c>).</param>
public sealed record ChildWorkflowSpec(string Workflow) : TaskSpec
{
    /// <summary>Always <c>workflow</c>.</summary>
    public override string Kind => "workflow";

    /// <summary>The child run's parameters by name; values may hold templates, rendered when the task starts.</summary>
    public IReadOnlyDictionary<string, string> Params { get; init; } = EmptyMaps.Strings;

    /// <summary>The child's definition when <see cref="Workflow"/> is a path (read and validated with the file that
    /// names it, and stored with it); null for a registered workflow, which is looked up when the task starts.</summary>
    public WorkflowDefinition? Definition { get; init; }

    /// <summary>True when <paramref name="workflow"/> names a file rather than a registered workflow.</summary>
    public static bool IsPath(string workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        return workflow.Contains('/', StringComparison.Ordinal) || workflow.Contains('\\', StringComparison.Ordinal)
            || workflow.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || workflow.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
            || workflow.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
    }
}
