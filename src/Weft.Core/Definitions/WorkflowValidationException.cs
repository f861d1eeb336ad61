namespace Weft.Definitions;

/// <summary>Thrown when a definition is invalid; carries every error, not just the first.</summary>
public sealed class WorkflowValidationException(IReadOnlyList<WorkflowError> errors)
    : Exception(FormatMessage(errors))
{
    /// <summary>Every error found, each with its place when known.</summary>
    public IReadOnlyList<WorkflowError> Errors { get; } = errors;

    private static string FormatMessage(IReadOnlyList<WorkflowError> errors) =>
        errors.Count == 1
            ? $"invalid workflow: {errors[0]}"
            : $"invalid workflow ({errors.Count} errors):{Environment.NewLine}" +
              string.Join(Environment.NewLine, errors.Select(e => "  " + e));
}
