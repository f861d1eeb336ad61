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
    /// every error (file:line:column), or <see cref="FileNotFoundException"/>. Reads at most
    /// <see cref="WorkflowLoadOptions.MaxFileBytes"/> + 1 bytes of the file.</summary>
    public static WorkflowDefinition LoadFile(string path, WorkflowLoadOptions? options = null) =>
        LoadFile(path, options, out _);

    /// <summary>As <see cref="LoadFile(string, WorkflowLoadOptions?)"/>, also giving the warnings about
    /// the valid file (file:line:column: warning: ...), for a command to print.</summary>
    public static WorkflowDefinition LoadFile(string path, WorkflowLoadOptions? options, out IReadOnlyList<WorkflowError> warnings)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return Load(stream, path, options, out warnings) with { SourcePath = path };
    }

    /// <summary>Loads and validates a workflow from <paramref name="stream"/>, read to its end but
    /// never past <see cref="WorkflowLoadOptions.MaxFileBytes"/> + 1 bytes; <paramref name="fileName"/>
    /// names it in errors. The bytes must be UTF-8 (or UTF-16 with a byte order mark).</summary>
    public static WorkflowDefinition Load(Stream stream, string fileName, WorkflowLoadOptions? options = null) =>
        Load(stream, fileName, options, out _);

    /// <summary>As <see cref="Load(Stream, string, WorkflowLoadOptions?)"/>, also giving the warnings.</summary>
    public static WorkflowDefinition Load(Stream stream, string fileName, WorkflowLoadOptions? options, out IReadOnlyList<WorkflowError> warnings)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        options ??= new WorkflowLoadOptions();
        options.Check();
        var text = SourceText.Decode(SourceText.ReadBounded(stream, options.MaxFileBytes, fileName), fileName);
        return Parse(text, fileName, options, out warnings);
    }

    /// <summary>Parses and validates text; <paramref name="fileName"/> names it in errors. Throws
    /// <see cref="WorkflowValidationException"/> for every problem of the text, whatever it holds.</summary>
    public static WorkflowDefinition Parse(string text, string fileName, WorkflowLoadOptions? options = null) =>
        Parse(text, fileName, options, out _);

    /// <summary>As <see cref="Parse(string, string, WorkflowLoadOptions?)"/>, also giving the warnings.</summary>
    public static WorkflowDefinition Parse(string text, string fileName, WorkflowLoadOptions? options, out IReadOnlyList<WorkflowError> warnings)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        options ??= new WorkflowLoadOptions();
        options.Check();
        SourceText.Check(text, options.MaxFileBytes, fileName);

        IReadOnlyList<WorkflowError> problems;
        var root = IsJson(text, fileName)
            ? JsonDocReader.Read(text, fileName, options, out var syntaxError, out problems)
            : YamlDocReader.Read(text, fileName, options, out syntaxError, out problems);
        if (syntaxError is not null)
        {
            throw new WorkflowValidationException(Reported([.. problems, syntaxError], options.MaxErrors));
        }

        var reader = new DefinitionReader(fileName, options);
        var definition = reader.Read(root);
        List<WorkflowError> errors = [.. problems, .. reader.Errors];
        if (definition is not null)
        {
            errors.AddRange(WorkflowValidator.Validate(definition, reader.Kinds, reader.Map, checkValues: false));
        }

        if (errors.Count > 0)
        {
            throw new WorkflowValidationException(Reported(errors, options.MaxErrors));
        }

        warnings = WorkflowValidator.Warnings(definition!, reader.Map);
        return definition!;
    }

    /// <summary>The errors in file order (so the list reads top to bottom; OrderBy is stable for
    /// ties), the first <paramref name="max"/> of them, and then how many more there were.</summary>
    private static List<WorkflowError> Reported(List<WorkflowError> errors, int max)
    {
        List<WorkflowError> ordered = [.. errors.OrderBy(e => e.Location?.Line ?? int.MaxValue).ThenBy(e => e.Location?.Column ?? 0).Take(max)];
        if (errors.Count > max)
        {
            ordered.Add(new WorkflowError(null, $"… and {errors.Count - max} more errors (only the first {max} are listed)"));
        }

        return ordered;
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
