namespace Weft.Definitions.Loading;

/// <summary>A definition went past one of the <see cref="WorkflowLoadOptions"/> size limits at
/// <see cref="Place"/>; reading stops there, since going on is what the limit prevents.</summary>
internal sealed class DocumentLimitException(SourceLocation place, string message) : Exception(message)
{
    public SourceLocation Place { get; } = place;
}
