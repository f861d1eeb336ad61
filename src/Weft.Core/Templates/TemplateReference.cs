namespace Weft.Templates;

/// <summary>What a <see cref="TemplateReference"/> reads.</summary>
public enum TemplateReferenceKind
{
    /// <summary><c>{{ params.NAME }}</c></summary>
    Param,

    /// <summary><c>{{ run.id }}</c></summary>
    RunId,

    /// <summary><c>{{ tasks.ID.output }}</c> or <c>{{ tasks.ID.output.FIELD... }}</c></summary>
    TaskOutput,

    /// <summary><c>{{ item }}</c> or <c>{{ item.FIELD... }}</c>: the element an instance of a map task runs for.</summary>
    Item,

    /// <summary><c>{{ index }}</c>: the position (from 0) of a map task instance's element.</summary>
    Index,
}

/// <summary>One <c>{{ ... }}</c> expression. <see cref="Name"/> is the parameter name or task id;
/// <see cref="Path"/> the JSON members read from a task's output. <see cref="Offset"/> and
/// <see cref="Length"/> locate the whole expression, braces included, in the template text.</summary>
public sealed record TemplateReference(TemplateReferenceKind Kind, string Name, IReadOnlyList<string> Path, int Offset, int Length)
{
    /// <summary>Written <c>{{ EXPR | raw }}</c>: in an HTTP URL the value goes in as written, not
    /// percent-encoded. Elsewhere it changes nothing. The value (and <see cref="ToString"/>) is the same.</summary>
    public bool Raw { get; init; }

    /// <summary>The expression as written, without braces: <c>params.NAME</c>, <c>run.id</c>, <c>tasks.ID.output.FIELD</c>.</summary>
    public override string ToString() => Kind switch
    {
        TemplateReferenceKind.Param => $"params.{Name}",
        TemplateReferenceKind.RunId => "run.id",
        TemplateReferenceKind.Item => Path.Count == 0 ? "item" : $"item.{string.Join('.', Path)}",
        TemplateReferenceKind.Index => "index",
        _ => Path.Count == 0 ? $"tasks.{Name}.output" : $"tasks.{Name}.output.{string.Join('.', Path)}",
    };
}
