namespace Weft;

/// <summary>Invalid engine options, or a submission the engine cannot accept (unknown parameter,
/// missing required parameter, unknown function).</summary>
public sealed class WeftConfigurationException(IReadOnlyList<string> errors)
    : Exception(errors.Count == 1 ? errors[0] : string.Join(Environment.NewLine, errors))
{
    /// <summary>Every problem found, one message each.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}
