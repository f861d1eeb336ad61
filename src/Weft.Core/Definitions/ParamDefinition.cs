namespace Weft.Definitions;

/// <summary>A run parameter. Values are text; a secret parameter is never shown in clear.</summary>
public sealed record ParamDefinition(string Name)
{
    /// <summary>The value when a run gives none; null for no default.</summary>
    public string? Default { get; init; }
    /// <summary>Free text shown in listings and the dashboard; null for none.</summary>
    public string? Description { get; init; }
    /// <summary>A run must give a value (or the parameter must have a default); submit fails otherwise.</summary>
    public bool Required { get; init; }
    /// <summary>A secret: its value is never shown in clear (masked in outputs and listings).</summary>
    public bool Secret { get; init; }
    /// <summary>Where the parameter is declared in its file; null for a definition built in C#.</summary>
    public SourceLocation? Location { get; init; }
}
