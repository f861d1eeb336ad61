namespace Weft.Definitions;

/// <summary>The checks that do not need the file: ids, dependencies, cycles, templates. The loader
/// runs them too; the engine runs them on definitions made in C#.</summary>
public static class WorkflowValidator
{
    /// <summary>Every error found, empty when valid. <paramref name="knownKinds"/> null means the built-in ones.</summary>
    public static IReadOnlyList<WorkflowError> Validate(WorkflowDefinition definition, IReadOnlyCollection<string>? knownKinds = null) =>
        throw new NotImplementedException();
}
