namespace Weft.Definitions;

/// <summary>Builds a <see cref="WorkflowDefinition"/> in C#; <see cref="Build"/> validates like the loader.</summary>
public sealed class WorkflowBuilder
{
    internal WorkflowBuilder(string name) => throw new NotImplementedException();

    public WorkflowBuilder Description(string description) => throw new NotImplementedException();

    public WorkflowBuilder Param(string name, string? defaultValue = null, bool required = false, bool secret = false, string? description = null) =>
        throw new NotImplementedException();

    public WorkflowBuilder Task(string id, Action<TaskBuilder> configure) => throw new NotImplementedException();

    /// <summary>Validates and returns the definition; throws <see cref="WorkflowValidationException"/>.</summary>
    public WorkflowDefinition Build() => throw new NotImplementedException();
}
