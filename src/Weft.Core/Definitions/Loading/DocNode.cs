namespace Weft.Definitions.Loading;

/// <summary>A YAML or JSON value with its place, so every error can point into the file. YAML and
/// JSON are both read into this one tree and the workflow is read from the tree.</summary>
internal abstract class DocNode(SourceLocation location)
{
    public SourceLocation Location { get; } = location;

    /// <summary>"a mapping", "a list", "text"... for messages such as "expected a list, found a mapping".</summary>
    public abstract string Describe { get; }
}

internal sealed class DocMapping(SourceLocation location, IReadOnlyList<DocEntry> entries) : DocNode(location)
{
    public IReadOnlyList<DocEntry> Entries { get; } = entries;

    public override string Describe => "a mapping";
}

internal readonly record struct DocEntry(DocScalar Key, DocNode Value);

internal sealed class DocSequence(SourceLocation location, IReadOnlyList<DocNode> items) : DocNode(location)
{
    public IReadOnlyList<DocNode> Items { get; } = items;

    public override string Describe => "a list";
}

internal enum ScalarType
{
    String,
    Null,
    Bool,
    Integer,
    Float,
}

/// <summary>A scalar. <see cref="ContentColumn"/> is the column of the value's first character when
/// the value stands on one line exactly as written (no escapes, no folding), so that an offset into
/// the value is also an offset on that line; otherwise null.</summary>
internal sealed class DocScalar(SourceLocation location, string text, ScalarType type, int? contentColumn) : DocNode(location)
{
    public string Text { get; } = text;

    public ScalarType Type { get; } = type;

    public int? ContentColumn { get; } = contentColumn;

    public bool IsNull => Type == ScalarType.Null;

    public override string Describe => Type switch
    {
        ScalarType.Null => "nothing",
        ScalarType.Bool => "a boolean",
        ScalarType.Integer or ScalarType.Float => "a number",
        _ => "text",
    };

    /// <summary>The place of character <paramref name="offset"/> of the value, or the scalar's own
    /// place when offsets cannot be mapped.</summary>
    public SourceLocation At(int offset) =>
        ContentColumn is { } column && offset >= 0 && offset <= Text.Length
            ? Location with { Column = column + offset }
            : Location;
}
