namespace Weft.Definitions;

/// <summary>One task of a workflow. <see cref="Spec"/> carries the kind and its kind-specific fields.</summary>
public sealed record TaskDefinition(string Id, TaskSpec Spec)
{
    /// <summary>Ids of the tasks it waits for; empty for a root task.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>Wall-clock limit for one attempt; null means none.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How a failed attempt is tried again; <see cref="RetryPolicy.None"/> by default.</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.None;

    /// <summary>Its place among ready tasks; <see cref="TaskPriority.Normal"/> by default.</summary>
    public TaskPriority Priority { get; init; } = TaskPriority.Normal;

    /// <summary>When it runs given its upstream outcomes; <see cref="TriggerRule.AllSuccess"/> by default.</summary>
    public TriggerRule Trigger { get; init; } = TriggerRule.AllSuccess;

    /// <summary>The concurrency pool this task counts against; null for none.</summary>
    public string? Pool { get; init; }

    /// <summary>The queue of a task that names none.</summary>
    public const string DefaultQueue = "default";

    /// <summary>The work queue this task is routed to: only workers serving this queue run it
    /// (<c>queue:</c>). Same name rule as pools; <see cref="DefaultQueue"/> when not given.</summary>
    public string Queue { get; init; } = DefaultQueue;

    /// <summary>The circuit breaker this task's failures count against and whose state it waits on;
    /// null means the default (an <c>http</c> task's host; none for other kinds).</summary>
    public string? Breaker { get; init; }

    /// <summary>The rate limit key this task's starts count against; null for none.</summary>
    public string? RateLimit { get; init; }

    private readonly IReadOnlyDictionary<string, double> _resources = EmptyMaps.Doubles;

    /// <summary>What the task holds while it runs (<c>cpu</c>, <c>memory</c> in bytes, or custom
    /// names such as <c>gpu</c>); empty for nothing beyond a slot. A <c>container</c> task that declares
    /// none holds its <c>cpus</c> and <c>memory</c> limits.</summary>
    public IReadOnlyDictionary<string, double> Resources
    {
        // Derived on read, not at load: a definition built in C#, read from a file or from the store
        // reserves the same, and the stored definition stays as written.
        get => _resources.Count == 0 && Spec is ContainerSpec container ? container.Reservation() : _resources;
        init => _resources = value;
    }

    /// <summary>The resources as written (<c>resources:</c>), without those derived from the kind.</summary>
    internal IReadOnlyDictionary<string, double> DeclaredResources => _resources;

    /// <summary>When the task should be done; nearing it raises the task's priority. Null: the run's
    /// deadline, if any. When both are set the earlier one counts.</summary>
    public DeadlineSpec? Deadline { get; init; }

    /// <summary>Reuse of earlier successful outputs (<c>cache:</c>); null for none.</summary>
    public CachePolicy? Cache { get; init; }

    /// <summary>Fan-out over a runtime list (<c>map:</c>): one instance per element; null for a plain task.</summary>
    public MapSpec? Map { get; init; }

    /// <summary>Where the task's id stands in its file.</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>The kind key of <see cref="Spec"/>, e.g. <c>shell</c>.</summary>
    public string Kind => Spec.Kind;
}
