using Weft.Execution;
using Weft.Handlers;

namespace Weft.Cluster;

/// <summary>Options of a <see cref="ClusterWorker"/> (<c>weft worker</c>). Validated once, by
/// <see cref="ClusterWorker.StartAsync"/>, every error together.</summary>
public sealed class ClusterWorkerOptions
{
    /// <summary>The worker's unique name in the cluster. Default <c>host-pid</c>.</summary>
    public string Name { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>How many tasks run at once. Default 8 (as <c>weft worker</c>; tasks are mostly I/O-bound).</summary>
    public int Slots { get; set; } = 8;

    /// <summary>Most tasks claimed ahead of free slots (held under lease, started as slots free up), so a
    /// busy worker with short tasks claims in batches rather than one round trip per task. Default 4 ×
    /// <see cref="Slots"/> (Celery's prefetch multiplier); 0 claims only for free slots. The worker claims
    /// ahead only what its slots will start within <see cref="PrefetchWithin"/> by the task durations it
    /// has seen, and nothing before its first task ends: long tasks are never held back from another
    /// worker of the queue that has free slots.</summary>
    public int? Prefetch { get; set; }

    /// <summary>A task claimed ahead that has waited this long for a slot (its slots are busy with long
    /// tasks) is given back to the queue for another worker, and the worker stops claiming ahead until
    /// its slots turn over faster. Default 1 s; null keeps every task claimed.</summary>
    public TimeSpan? GiveBackAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How soon a task claimed ahead must be expected to start (see <see cref="Prefetch"/>).
    /// Default 100 ms: tasks averaging 1 s or more are not claimed ahead at all.</summary>
    public TimeSpan PrefetchWithin { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Queues to claim from. Default <c>["default"]</c>.</summary>
    public IList<string> Queues { get; } = new List<string> { "default" };

    /// <summary>Free-form labels advertised in the worker's row (e.g. "gpu"). Default none.</summary>
    public IList<string> Tags { get; } = [];

    /// <summary>How often the worker renews its leases. Default 5 s; must be less than <see cref="LeaseFor"/>.</summary>
    public TimeSpan HeartbeatEvery { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a lease lasts without a heartbeat: after it, the scheduler presumes the worker
    /// dead and runs its tasks again. Default 30 s.</summary>
    public TimeSpan LeaseFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Safety-net poll when no signal arrives (a lost NOTIFY costs at most this). Default 2 s.</summary>
    public TimeSpan PollEvery { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Largest output kept per attempt, in UTF-8 bytes. Default 1 MiB.</summary>
    public int OutputLimitBytes { get; set; } = OutputLimit.DefaultBytes;

    /// <summary>The clock for timeouts, heartbeats, back-off and timestamps. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Extra handlers (new kinds, or replacements for built-in ones).</summary>
    public IList<ITaskHandler> Handlers { get; } = [];

    /// <summary>Hooks run before and after every task attempt this worker runs, as on an embedded
    /// engine's slots (<see cref="WeftOptions.Hooks"/>).</summary>
    public IList<ITaskHook> Hooks { get; } = [];

    /// <summary>The HTTP client of <c>http</c> tasks: default request timeout, connection pool.</summary>
    public HttpOptions Http { get; } = new();

    /// <summary>The container runtime of <c>container</c> tasks (the configuration's <c>containers:</c>).</summary>
    public Configuration.ContainerSettings Containers { get; } = new();

    /// <summary>Functions that <c>function:</c> tasks call.</summary>
    public FunctionRegistry Functions { get; set; } = new();

    /// <summary>Receives one line per notable event (start, store outage and recovery, stop), e.g. for a
    /// CLI to print. Called from background threads.</summary>
    public Action<string>? OnLog { get; set; }

    internal IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors.Add($"Name must not be empty (was '{Name}')");
        }

        if (Prefetch is < 0 or > 100_000)
        {
            errors.Add($"Prefetch must be between 0 and 100000 (was {Prefetch})");
        }

        errors.AddRange(Http.Validate());
        if (GiveBackAfter <= TimeSpan.Zero)
        {
            errors.Add($"GiveBackAfter must be positive (was {GiveBackAfter})");
        }

        if (PrefetchWithin < TimeSpan.Zero)
        {
            errors.Add($"PrefetchWithin must not be negative (was {PrefetchWithin})");
        }

        if (Slots is < 1 or > 4096)
        {
            errors.Add($"Slots must be between 1 and 4096 (was {Slots})");
        }

        if (Queues.Count == 0 || Queues.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add($"Queues must name at least one queue, none empty (was [{string.Join(", ", Queues)}])");
        }

        if (LeaseFor <= TimeSpan.Zero)
        {
            errors.Add($"LeaseFor must be positive (was {LeaseFor})");
        }

        if (HeartbeatEvery <= TimeSpan.Zero || HeartbeatEvery >= LeaseFor)
        {
            errors.Add($"HeartbeatEvery must be positive and less than LeaseFor ({LeaseFor}) (was {HeartbeatEvery})");
        }

        if (PollEvery <= TimeSpan.Zero)
        {
            errors.Add($"PollEvery must be positive (was {PollEvery})");
        }

        if (OutputLimitBytes < 1)
        {
            errors.Add($"OutputLimitBytes must be positive (was {OutputLimitBytes})");
        }

        if (TimeProvider is null)
        {
            errors.Add("TimeProvider must not be null");
        }

        if (Functions is null)
        {
            errors.Add("Functions must not be null");
        }

        return errors;
    }
}
