namespace Weft.Definitions;

/// <summary>A run parameter. Values are text; a secret parameter is never shown in clear.</summary>
public sealed record ParamDefinition(string Name)
{
    public string? Default { get; init; }
    public string? Description { get; init; }
    public bool Required { get; init; }
    public bool Secret { get; init; }
    public SourceLocation? Location { get; init; }
}
