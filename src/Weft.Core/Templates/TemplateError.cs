namespace Weft.Templates;

/// <summary>A malformed expression at <see cref="Offset"/> in the template text.</summary>
internal sealed record TemplateError(string Message, int Offset);
