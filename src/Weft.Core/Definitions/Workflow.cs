namespace Weft.Definitions;

/// <summary>Entry point of the fluent C# builder:
/// <c>Workflow.Create("etl").Task("extract", t => t.Http("GET", url)).Task("load", t => t.Shell("...").DependsOn("extract")).Build()</c>.</summary>
public static class Workflow
{
    /// <summary>Starts a workflow named <paramref name="name"/>; add tasks, then call <see cref="WorkflowBuilder.Build"/>.</summary>
    public static WorkflowBuilder Create(string name) => new(name);
}
