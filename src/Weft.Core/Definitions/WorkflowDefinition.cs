namespace Weft.Definitions;

/// <summary>An immutable, validated workflow: what a YAML/JSON file or the C# builder describes.</summary>
public sealed record WorkflowDefinition(string Name, IReadOnlyList<TaskDefinition> Tasks)
{
    public string? Description { get; init; }

    /// <summary>Run parameters in declaration order.</summary>
    public IReadOnlyList<ParamDefinition> Params { get; init; } = [];

    /// <summary>The deadline of every run of this workflow; each task inherits it unless its own is earlier.</summary>
    public DeadlineSpec? Deadline { get; init; }

    /// <summary>The file it came from, when it came from a file.</summary>
    public string? SourcePath { get; init; }

    public SourceLocation? Location { get; init; }
}
