using Weft.Templates;

namespace Weft.Execution;

/// <summary>Supplies the value of each template reference for one task of one run: parameters,
/// the run id, and upstream outputs (JSON member access included).</summary>
public interface ITemplateValues
{
    /// <summary>The value as text. Throws <see cref="TemplateResolutionException"/> when a referenced
    /// output has no such field or is not JSON.</summary>
    string Resolve(TemplateReference reference);
}

/// <summary>A template that validated but cannot be resolved for this run (e.g. the output is not JSON).</summary>
public sealed class TemplateResolutionException(string message) : Exception(message);
