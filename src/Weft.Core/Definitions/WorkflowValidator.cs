using Weft.Definitions.Loading;
using Weft.Definitions.Validation;

namespace Weft.Definitions;

/// <summary>The checks that do not need the file: ids, dependencies, cycles, templates. The loader
/// runs them too; the engine runs them on definitions made in C#.</summary>
public static class WorkflowValidator
{
    /// <summary>Every error found, empty when valid. <paramref name="knownKinds"/> null means the built-in ones.</summary>
    public static IReadOnlyList<WorkflowError> Validate(WorkflowDefinition definition, IReadOnlyCollection<string>? knownKinds = null) =>
        Validate(definition, knownKinds, map: null, checkValues: true);

    /// <summary>Advice about a definition that is valid but probably does not do what it says (a
    /// template the shell will not expand as meant). Each message starts with "warning: ".</summary>
    public static IReadOnlyList<WorkflowError> Warnings(WorkflowDefinition definition) => Warnings(definition, map: null);

    internal static IReadOnlyList<WorkflowError> Warnings(WorkflowDefinition definition, SourceMap? map)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new ValidationRun(definition, Names.BuiltInKinds, map, checkValues: false).Lint();
    }

    /// <summary><paramref name="map"/> places errors on fields of a loaded file. <paramref name="checkValues"/>
    /// is false when the reader has already range-checked values at their places (defaults are
    /// then reported once, not once per task).</summary>
    internal static IReadOnlyList<WorkflowError> Validate(
        WorkflowDefinition definition, IReadOnlyCollection<string>? knownKinds, SourceMap? map, bool checkValues)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new ValidationRun(definition, knownKinds ?? Names.BuiltInKinds, map, checkValues).Run();
    }

    /// <summary>As <see cref="Validate(WorkflowDefinition, IReadOnlyCollection{string})"/>, also giving
    /// each task id's index, which the validation builds anyway: exact when there are no errors, and
    /// then the plan's own (for a million tasks, one table of 28 MB fewer to build).</summary>
    internal static IReadOnlyList<WorkflowError> Validate(
        WorkflowDefinition definition, IReadOnlyCollection<string> knownKinds, out Dictionary<string, int> index)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var run = new ValidationRun(definition, knownKinds, map: null, checkValues: true);
        var errors = run.Run();
        index = run.Index;
        return errors;
    }
}
