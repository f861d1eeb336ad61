using Microsoft.Extensions.Logging;
using Weft.Definitions;
using Weft.Execution;

namespace Weft;

/// <summary>Engine options. Validated once, by <see cref="WeftEngine.Create"/>, every error together.</summary>
public sealed class WeftOptions
{
    private ILogger? _logger;

    /// <summary>A fixed number of worker slots: setting it sets <see cref="PoolOptions.MinWorkers"/> and
    /// <see cref="PoolOptions.MaxWorkers"/> of <see cref="Pool"/> to the value, so the pool does not
    /// scale. Reads <see cref="PoolOptions.MaxWorkers"/>. Unset, the pool scales between 2 and 16.</summary>
    public int Workers
    {
        get => Pool.MaxWorkers;
        set => Pool.Fix(value);
    }

    /// <summary>The worker pool: size bounds, scaling rules, slot strategy.</summary>
    public PoolOptions Pool { get; } = new();

    /// <summary>Largest output kept per attempt, in UTF-8 bytes. Default 1 MiB.</summary>
    public int OutputLimitBytes { get; set; } = OutputLimit.DefaultBytes;

    /// <summary>The clock for timeouts, retries and timestamps. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where runs are recorded. Default: an in-memory store.</summary>
    public Storage.IWeftStore? Store { get; set; }

    /// <summary>Hooks run before and after every task attempt.</summary>
    public IList<ITaskHook> Hooks { get; } = [];

    /// <summary>Extra handlers (new kinds, or replacements for built-in ones).</summary>
    public IList<ITaskHandler> Handlers { get; } = [];

    /// <summary>Pool sizes by name, for every workflow (a workflow's own <c>pools:</c> only sizes a
    /// pool not named here).</summary>
    public IDictionary<string, int> Pools { get; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>Rate limits by key, for every workflow (a workflow's own <c>rateLimits:</c> only sets a
    /// key not named here).</summary>
    public IDictionary<string, Definitions.RateLimit> RateLimits { get; } = new Dictionary<string, Definitions.RateLimit>(StringComparer.Ordinal);

    /// <summary>What this process offers to tasks that declare <c>resources:</c>. Defaults: <c>cpu</c> =
    /// its cores, <c>memory</c> = half of the memory available to it (bytes); add custom ones such as
    /// <c>gpu</c>. A task needing more than this in all is refused at submit.</summary>
    public IDictionary<string, double> Resources { get; } = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["cpu"] = Environment.ProcessorCount,
        ["memory"] = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2d,
    };

    /// <summary>Resource monitoring and alert thresholds.</summary>
    public MonitorOptions Monitor { get; } = new();

    /// <summary>Called (on a thread-pool thread) when an alert becomes active.</summary>
    public Action<string>? OnAlert { get; set; }

    /// <summary>Where the engine logs (category <c>Weft</c>): alerts and cluster trouble at Warning, each
    /// attempt's end at Debug (nothing per task at Information). Every attempt runs in a logging scope with
    /// <c>WeftRunId</c>, <c>WeftTaskId</c>, <c>WeftAttempt</c> and <c>WeftWorkflow</c>, so what a handler or
    /// function logs carries them. Default null: no logging, and no scope per attempt. <c>AddWeft</c> sets
    /// the host's.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The engine's logger from <see cref="LoggerFactory"/>, made once; null without one.</summary>
    internal ILogger? Logger => _logger ??= LoggerFactory?.CreateLogger(Logging.EngineLog.Category);

    /// <summary>The HTTP client of <c>http</c> tasks: default request timeout, connection pool.</summary>
    public HttpOptions Http { get; } = new();

    /// <summary>The container runtime of <c>container</c> tasks (the configuration's <c>containers:</c>).</summary>
    public Configuration.ContainerSettings Containers { get; } = new();

    /// <summary>Circuit breaker settings.</summary>
    public BreakerOptions Breakers { get; } = new();

    /// <summary>Most tasks waiting or running across all runs; a submission that would pass it fails
    /// with <see cref="WeftQueueFullException"/> (or waits, with <see cref="SubmitOptions.WaitIfQueueFull"/>).
    /// Default 100,000.</summary>
    public int QueueLimit { get; set; } = 100_000;

    /// <summary>Changes waiting for a durable store's commit past which no task starts (the journal's
    /// back pressure; <see cref="Scheduling.Scheduler.JournalLimit"/>). Tests lower it.</summary>
    internal int JournalLimit { get; set; } = Scheduling.Scheduler.DefaultJournalLimit;

    /// <summary>How long a <see cref="SubmitOptions.DedupKey"/> is remembered. Default 60 s.</summary>
    public TimeSpan DedupWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a finished run stays in the engine's memory (<see cref="WeftEngine.GetRun"/>,
    /// <see cref="WeftEngine.WatchAsync"/>) after it ends; then only the store has it (the server reads
    /// it from there, and a <see cref="RunHandle"/> keeps its final picture). Never less than
    /// <see cref="DedupWindow"/>. Default 10 minutes; null keeps every run, and a long-lived engine then
    /// grows with every run it has ever finished.</summary>
    public TimeSpan? KeepFinishedRuns { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Finished runs older than this are purged from a durable store, at start and every
    /// hour. Default 30 days; null keeps runs forever.</summary>
    public TimeSpan? Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The result cache of tasks with <c>cache:</c>: bounds, eviction, default TTL, compression.</summary>
    public CacheOptions Cache { get; } = new();

    /// <summary>The timeout of a task that sets none (neither itself nor through its workflow's
    /// <c>defaults:</c>). Default null: such a task may run as long as it takes.</summary>
    public TimeSpan? DefaultTaskTimeout { get; set; }

    /// <summary>The retry policy of a task that sets none (neither itself nor through its workflow's
    /// <c>defaults:</c>). Default null: such a task runs once. A task opts out with <c>retry: {maxAttempts: 1}</c>.</summary>
    public Definitions.RetryPolicy? DefaultRetry { get; set; }

    /// <summary>The most elements a map task's <c>over</c> may have (config key <c>maxMapItems</c>); a
    /// longer list fails the task, naming its size. Default 100,000.</summary>
    public int MaxMapItems { get; set; } = 100_000;

    /// <summary>How deep child workflows (<c>workflow:</c> tasks) may nest (config key <c>maxWorkflowDepth</c>):
    /// a run this many levels down that would start another child fails that task, naming the chain of runs,
    /// so workflows calling each other in a cycle end. A run nobody started is level 1. Default 10.</summary>
    public int MaxWorkflowDepth { get; set; } = 10;

    /// <summary>How often an engine on a durable store looks for signals that other processes recorded
    /// for its waiting tasks (<c>weft runs signal --store</c>); only while some task waits. Default 1 s.</summary>
    public TimeSpan SignalPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Seed for retry jitter; null draws one at random. Tests set it to get repeatable delays.</summary>
    public int? RandomSeed { get; set; }

    /// <summary>How ready tasks of equal effective priority are ordered. Default
    /// <see cref="QueueOrdering.CriticalPathFirst"/>; <see cref="QueueOrdering.Fifo"/> keeps queue order.</summary>
    public QueueOrdering Ordering { get; set; } = QueueOrdering.CriticalPathFirst;

    /// <summary>A ready task that has waited this long rises one priority class, and one more per
    /// further interval, up to critical, so low-priority work cannot starve. Default 30 s; null turns aging off.</summary>
    public TimeSpan? AgingInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A ready task whose deadline is less than this away rises one priority class. Default 60 s.</summary>
    public TimeSpan DeadlineUrgentWithin { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A ready task whose deadline is less than this away becomes critical (an overdue task goes
    /// before everything). Default 10 s; at most <see cref="DeadlineUrgentWithin"/>.</summary>
    public TimeSpan DeadlineCriticalWithin { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Cluster leadership settings, used when <see cref="Store"/> is an <see cref="Cluster.IClusterStore"/>.</summary>
    public Cluster.ClusterSchedulingOptions Cluster { get; } = new();

    /// <summary>Where started tasks run: null (the default) runs them on this engine's slots, or on the
    /// cluster's queue when <see cref="Store"/> is a cluster store; a transport (e.g. NATS JetStream,
    /// Weft.Nats) hands them to worker processes. A transport needs a durable store: SQLite, or a cluster store
    /// (PostgreSQL), which then keeps the record and the leadership while the transport carries the tasks.</summary>
    public Coordination.ITransport? Transport { get; set; }

    /// <summary>Schedules of registered workflows: whether this engine runs them, and their grace.</summary>
    public Registry.ScheduleOptions Schedules { get; } = new();

    internal IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        errors.AddRange(Schedules.Validate());
        errors.AddRange(Cluster.Validate());
        if (Store is global::Weft.Cluster.IClusterStore && !Cluster.Schedule)
        {
            errors.Add("the store is a cluster store: only the cluster's scheduler runs an engine on it (weft server, or SchedulerLeadership, which sets Cluster.Schedule); submit with ClusterClient and read runs from the store");
        }

        if (Transport is { } transport && (Store is null || !Store.IsDurable))
        {
            errors.Add($"Transport {transport.Describe()} needs a durable store (e.g. sqlite:PATH, or a PostgreSQL cluster store), not {(Store is null ? "the default in-memory store" : "an in-memory store")}");
        }

        if (Pool.IsFixed && Workers is < 1 or > 4096)
        {
            errors.Add($"Workers must be between 1 and 4096 (was {Workers})");
        }

        errors.AddRange(Pool.Validate(checkSizes: !Pool.IsFixed));

        if (OutputLimitBytes < 1)
        {
            errors.Add($"OutputLimitBytes must be positive (was {OutputLimitBytes})");
        }

        errors.AddRange(Breakers.Validate());
        errors.AddRange(Http.Validate());
        errors.AddRange(Monitor.Validate());
        errors.AddRange(Cache.Validate());
        foreach (var (name, size) in Pools.Where(p => p.Value < 1))
        {
            errors.Add($"Pools['{name}'] must be at least 1 (was {size})");
        }

        if (QueueLimit < 1)
        {
            errors.Add($"QueueLimit must be positive (was {QueueLimit})");
        }

        if (SignalPollInterval <= TimeSpan.Zero)
        {
            errors.Add($"SignalPollInterval must be positive (was {SignalPollInterval})");
        }

        if (MaxWorkflowDepth < 1)
        {
            errors.Add($"MaxWorkflowDepth must be positive (was {MaxWorkflowDepth})");
        }

        if (MaxMapItems < 1)
        {
            errors.Add($"MaxMapItems must be positive (was {MaxMapItems})");
        }

        if (DedupWindow <= TimeSpan.Zero)
        {
            errors.Add($"DedupWindow must be positive (was {DedupWindow})");
        }

        if (KeepFinishedRuns is { } keep && keep <= TimeSpan.Zero)
        {
            errors.Add($"KeepFinishedRuns must be positive or null (was {keep})");
        }

        if (Retention is { } r && r <= TimeSpan.Zero)
        {
            errors.Add($"Retention must be positive or null (was {r})");
        }

        if (DefaultTaskTimeout is { } timeout && ValueChecks.Timeout(timeout) is { } timeoutProblem)
        {
            errors.Add($"DefaultTaskTimeout: {timeoutProblem}");
        }

        foreach (var (field, message) in DefaultRetry is { } retry ? ValueChecks.Retry(retry) : [])
        {
            errors.Add($"DefaultRetry.{field}: {message}");
        }

        if (!Enum.IsDefined(Ordering))
        {
            errors.Add($"Ordering must be CriticalPathFirst or Fifo (was {(int)Ordering})");
        }

        if (AgingInterval is { } aging && aging <= TimeSpan.Zero)
        {
            errors.Add($"AgingInterval must be positive or null (was {aging})");
        }

        if (DeadlineCriticalWithin < TimeSpan.Zero)
        {
            errors.Add($"DeadlineCriticalWithin must not be negative (was {DeadlineCriticalWithin})");
        }

        if (DeadlineUrgentWithin < DeadlineCriticalWithin)
        {
            errors.Add($"DeadlineUrgentWithin ({DeadlineUrgentWithin}) must be at least DeadlineCriticalWithin ({DeadlineCriticalWithin})");
        }

        return errors;
    }
}
