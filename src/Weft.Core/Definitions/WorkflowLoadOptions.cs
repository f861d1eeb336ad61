namespace Weft.Definitions;

/// <summary>How a workflow file is read, and how big it may be. The size limits keep a hostile or
/// broken definition (a YAML alias bomb, <c>/dev/zero</c>, 20,000 unknown names) from taking the
/// memory or the time of the process that reads it, CLI or server: past a limit, loading stops with
/// an error at the place it was reached. They are documented in docs/WORKFLOW-FORMAT.md (Size limits).</summary>
public sealed class WorkflowLoadOptions
{
    /// <summary>4 MiB: hundreds of times a large hand-written workflow.</summary>
    public const int DefaultMaxFileBytes = 4 * 1024 * 1024;

    /// <summary>Values (mappings, lists, keys, scalars) once aliases are expanded.</summary>
    public const int DefaultMaxNodes = 500_000;

    /// <summary>YAML aliases (<c>*name</c>) a file may use.</summary>
    public const int DefaultMaxAliases = 10_000;

    /// <summary>Nesting depth; the root mapping is level 1, a task's <c>with</c> mapping level 4.</summary>
    public const int DefaultMaxDepth = 32;

    /// <summary>Errors reported before the rest are summed up.</summary>
    public const int DefaultMaxErrors = 100;

    /// <summary>The largest <see cref="MaxDepth"/> that may be set.</summary>
    public const int MaxAllowedDepth = 1000;

    /// <summary>Kinds beyond the built-in ones (shell, http, function, sleep, noop, sql, container) that a file may
    /// use; their value is kept as a <see cref="CustomSpec"/>.</summary>
    public IReadOnlyCollection<string> ExtraKinds { get; init; } = [];

    /// <summary>The most bytes a file, stream or text may hold (UTF-8). A file is never read past
    /// this many bytes plus one.</summary>
    public int MaxFileBytes { get; init; } = DefaultMaxFileBytes;

    /// <summary>The most values the definition may hold with every alias (<c>*name</c>) and merge
    /// key counted at the full size of what it stands for.</summary>
    public int MaxNodes { get; init; } = DefaultMaxNodes;

    /// <summary>The most aliases (<c>*name</c>) a YAML file may use.</summary>
    public int MaxAliases { get; init; } = DefaultMaxAliases;

    /// <summary>The deepest nesting of mappings and lists, aliases expanded; at most
    /// <see cref="MaxAllowedDepth"/>, since reading and writing definitions recurse.</summary>
    public int MaxDepth { get; init; } = DefaultMaxDepth;

    /// <summary>The most errors reported; more are summed up in a last "… and N more errors".</summary>
    public int MaxErrors { get; init; } = DefaultMaxErrors;

    /// <summary>The full paths of the files whose <c>workflow:</c> tasks led to this one, outermost first:
    /// a file met again is a cycle, refused where it is named.</summary>
    internal IReadOnlyList<string> Including { get; init; } = [];

    /// <summary>For a definition this system stored after loading it: it was within the limits then,
    /// and its stored form is larger (expanded aliases, defaults copied into each task, JSON quoting),
    /// so reading it back is bounded only by what the store holds, and by a depth the recursion bears.</summary>
    internal static WorkflowLoadOptions ForStoredDefinition(IReadOnlyCollection<string> extraKinds) => new()
    {
        ExtraKinds = extraKinds,
        MaxFileBytes = int.MaxValue,
        MaxNodes = int.MaxValue,
        MaxAliases = int.MaxValue,
        MaxDepth = 4 * DefaultMaxDepth,
    };

    internal void Check()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFileBytes, 1, nameof(MaxFileBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxNodes, 1, nameof(MaxNodes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAliases, 0, nameof(MaxAliases));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDepth, 1, nameof(MaxDepth));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxDepth, MaxAllowedDepth, nameof(MaxDepth));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxErrors, 1, nameof(MaxErrors));
    }
}
