namespace Weft.Definitions.Loading;

/// <summary>Places of the parts of a loaded definition that its records do not carry: each task's
/// fields and the scalars holding templates. Lets <see cref="WorkflowValidator"/>, which works on
/// records, point at the exact field. Tasks are keyed by their index, since ids may be duplicated.</summary>
internal sealed class SourceMap
{
    /// <summary>The task index used for fields of the workflow itself.</summary>
    public const int Workflow = -1;

    private readonly Dictionary<(int Task, string Field), Entry> _entries = [];

    public void Add(int task, string field, SourceLocation location) =>
        _entries[(task, field)] = new Entry(location, null, 0);

    /// <summary>Records a scalar whose value (from <paramref name="shift"/> on) is the field's text.</summary>
    public void Add(int task, string field, DocScalar scalar, int shift = 0) =>
        _entries[(task, field)] = new Entry(scalar.Location, scalar, shift);

    /// <summary>The field's place (where its scalar starts, quote included), or with an
    /// <paramref name="offset"/> the place of that character of its text when that can be done
    /// exactly; null when the field was not recorded.</summary>
    public SourceLocation? Find(int task, string field, int? offset = null) =>
        _entries.TryGetValue((task, field), out var e)
            ? e.Scalar is null || offset is null ? e.Location : e.Scalar.At(e.Shift + offset.Value)
            : null;

    private readonly record struct Entry(SourceLocation Location, DocScalar? Scalar, int Shift);
}
