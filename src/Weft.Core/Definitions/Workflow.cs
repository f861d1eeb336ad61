namespace Weft.Definitions;

/// <summary>Entry point of the fluent C# builder:
/// <c>Workflow.Create("etl").Task("extract", t => t.Http("GET", url)).Task("load", t => t.Shell("...").DependsOn("extract")).Build()</c>.</summary>
public static class Workflow
{
    public static WorkflowBuilder Create(string name) => new(name);
}
