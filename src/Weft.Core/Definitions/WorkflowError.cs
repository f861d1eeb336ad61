namespace Weft.Definitions;

/// <summary>One problem with a workflow definition, with its place when known.</summary>
public sealed record WorkflowError(SourceLocation? Location, string Message)
{
    /// <summary><c>file:line:col: message</c>, or the message alone when the place is unknown.</summary>
    public override string ToString() => Location is null ? Message : $"{Location}: {Message}";
}
