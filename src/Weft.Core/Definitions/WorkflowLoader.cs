using Weft.Definitions.Loading;

namespace Weft.Definitions;

/// <summary>Reads YAML or JSON workflow files into validated <see cref="WorkflowDefinition"/>s.</summary>
public static class WorkflowLoader
{
    /// <summary>Every key a task may hold besides a custom kind: the built-in kinds and the task fields.
    /// Whoever reads a stored definition back uses it to tell custom kinds from fields.</summary>
    public static IReadOnlyCollection<string> KnownTaskKeys { get; } =
        [.. Names.BuiltInKinds, .. Loading.DefinitionReader.TaskFieldNames];

    /// <summary>Loads and validates a file. Throws <see cref="WorkflowValidationException"/> carrying
    /// every error (file:line:column), or <see cref="FileNotFoundException"/>.</summary>
    public static WorkflowDefinition LoadFile(string path, WorkflowLoadOptions? options = null) =>
        LoadFile(path, options, out _);

    /// <summary>As <see cref="LoadFile(string, WorkflowLoadOptions?)"/>, also giving the warnings about
    /// the valid file (file:line:column: warning: ...), for a command to print.</summary>
    public static WorkflowDefinition LoadFile(string path, WorkflowLoadOptions? options, out IReadOnlyList<WorkflowError> warnings)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var text = File.ReadAllText(path);
        return Parse(text, path, options, out warnings) with { SourcePath = path };
    }

    /// <summary>Parses and validates text; <paramref name="fileName"/> names it in errors.</summary>
    public static WorkflowDefinition Parse(string text, string fileName, WorkflowLoadOptions? options = null) =>
        Parse(text, fileName, options, out _);

    /// <summary>As <see cref="Parse(string, string, WorkflowLoadOptions?)"/>, also giving the warnings.</summary>
    public static WorkflowDefinition Parse(string text, string fileName, WorkflowLoadOptions? options, out IReadOnlyList<WorkflowError> warnings)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        options ??= new WorkflowLoadOptions();

        var root = IsJson(text, fileName)
            ? JsonDocReader.Read(text, fileName, out var syntaxError)
            : YamlDocReader.Read(text, fileName, out syntaxError);
        if (syntaxError is not null)
        {
            throw new WorkflowValidationException([syntaxError]);
        }

        var reader = new DefinitionReader(fileName, options);
        var definition = reader.Read(root);
        List<WorkflowError> errors = [.. reader.Errors];
        if (definition is not null)
        {
            errors.AddRange(WorkflowValidator.Validate(definition, reader.Kinds, reader.Map, checkValues: false));
        }

        if (errors.Count > 0)
        {
            // In file order, so the list reads top to bottom; OrderBy is stable for ties.
            throw new WorkflowValidationException(
                [.. errors.OrderBy(e => e.Location?.Line ?? int.MaxValue).ThenBy(e => e.Location?.Column ?? 0)]);
        }

        warnings = WorkflowValidator.Warnings(definition!, reader.Map);
        return definition!;
    }

    // JSON goes to its own reader even when the name does not say so, as long as it is not YAML by name:
    // YAML rejects the tab indentation JSON files often have.
    private static bool IsJson(string text, string fileName)
    {
        var extension = Path.GetExtension(fileName);
        if (extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var isYamlByName = extension.Equals(".yaml", StringComparison.OrdinalIgnoreCase) ||
                           extension.Equals(".yml", StringComparison.OrdinalIgnoreCase);
        return !isYamlByName && text.AsSpan().TrimStart().StartsWith("{");
    }
}
