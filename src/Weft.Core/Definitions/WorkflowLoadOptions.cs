namespace Weft.Definitions;

/// <summary>How a workflow file is read.</summary>
public sealed class WorkflowLoadOptions
{
    /// <summary>Kinds beyond the built-in ones (shell, http, function, sleep, noop) that a file may
    /// use; their value is kept as a <see cref="CustomSpec"/>.</summary>
    public IReadOnlyCollection<string> ExtraKinds { get; init; } = [];
}
