namespace Weft.Definitions;

/// <summary>An immutable, validated workflow: what a YAML/JSON file or the C# builder describes.</summary>
public sealed record WorkflowDefinition(string Name, IReadOnlyList<TaskDefinition> Tasks)
{
    /// <summary>Free text shown in listings and the dashboard; null for none.</summary>
    public string? Description { get; init; }

    /// <summary>Run parameters in declaration order.</summary>
    public IReadOnlyList<ParamDefinition> Params { get; init; } = [];

    /// <summary>Concurrency limits by pool name (Airflow's pools): at most this many tasks of the pool
    /// run at once, across all runs. Engine options may also size pools (and win).</summary>
    public IReadOnlyDictionary<string, int> Pools { get; init; } = EmptyMaps.Ints;

    /// <summary>Task starts per period by key (<c>rateLimits: { api: 50/s }</c>); tasks name a key
    /// with <c>rateLimit:</c>. Engine options may also set limits (and win).</summary>
    public IReadOnlyDictionary<string, RateLimit> RateLimits { get; init; } = EmptyMaps.RateLimits;

    /// <summary>At most this many tasks of one run at once; null means no limit beyond the slots.</summary>
    public int? MaxParallel { get; init; }
    /// <summary>When a server starts runs of it by itself; null for none.</summary>
    public ScheduleDefinition? Schedule { get; init; }

    /// <summary>The deadline of every run of this workflow; each task inherits it unless its own is earlier.</summary>
    public DeadlineSpec? Deadline { get; init; }

    /// <summary>The file it came from, when it came from a file.</summary>
    public string? SourcePath { get; init; }

    /// <summary>Where the workflow starts in its file; null for a definition built in C#.</summary>
    public SourceLocation? Location { get; init; }
}
