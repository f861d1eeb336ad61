using Weft.Definitions;

namespace Weft.Registry;

/// <summary>One registered version of a workflow: its definition and the text it was registered from.</summary>
public sealed record RegisteredWorkflow(string Name, int Version, string Hash, DateTimeOffset RegisteredAt, WorkflowDefinition Definition, string Source)
{
    /// <summary><see cref="Source"/> with the default of every secret parameter replaced by <c>***</c>:
    /// the text to show anyone (the API hands it out to readers without a token).</summary>
    public string MaskedSource => SecretDefaults.Mask(Source, Definition);
}
