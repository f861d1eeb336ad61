namespace Weft.Definitions;

/// <summary>Reads YAML or JSON workflow files into validated <see cref="WorkflowDefinition"/>s.</summary>
public static class WorkflowLoader
{
    /// <summary>Loads and validates a file. Throws <see cref="WorkflowValidationException"/> carrying
    /// every error (file:line:column), or <see cref="FileNotFoundException"/>.</summary>
    public static WorkflowDefinition LoadFile(string path, WorkflowLoadOptions? options = null) =>
        throw new NotImplementedException();

    /// <summary>Parses and validates text; <paramref name="fileName"/> names it in errors.</summary>
    public static WorkflowDefinition Parse(string text, string fileName, WorkflowLoadOptions? options = null) =>
        throw new NotImplementedException();
}
