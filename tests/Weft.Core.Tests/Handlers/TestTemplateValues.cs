using Weft.Execution;
using Weft.Templates;

namespace Weft.Tests.Handlers;

/// <summary>Template values from a dictionary keyed by the reference text (<c>params.x</c>, <c>run.id</c>,
/// <c>tasks.a.output.field</c>). A missing key throws, as the real resolver does for a bad field.</summary>
internal sealed class TestTemplateValues(IReadOnlyDictionary<string, string>? values = null) : ITemplateValues
{
    private readonly IReadOnlyDictionary<string, string> _values = values ?? new Dictionary<string, string>();

    public string Resolve(TemplateReference reference) =>
        _values.TryGetValue(reference.ToString(), out var value)
            ? value
            : throw new TemplateResolutionException($"no value for '{reference}'");
}
