using Weft.Definitions;
using Weft.Execution;

namespace Weft.Planning;

/// <summary>A workflow compiled once into arrays: tasks indexed 0..n-1, edges in CSR form (children
/// and parents), indegrees, levels and the critical path. A run is then only small arrays over the
/// plan, so starting a run of many tasks allocates almost nothing.</summary>
internal sealed class ExecutionPlan
{
    private ExecutionPlan(WorkflowDefinition definition, double[]? weights, EngineTaskDefaults? defaults, Dictionary<string, int>? index)
    {
        Definition = definition;
        _weights = weights;
        Tasks = defaults is null ? [.. definition.Tasks] : [.. definition.Tasks.Select(defaults.Apply)];
        TaskIds = new TaskIdList(Tasks);
        if (index is not null)
        {
            IndexOf = index;
            return;
        }

        IndexOf = new Dictionary<string, int>(Tasks.Length, StringComparer.Ordinal);
        for (var i = 0; i < Tasks.Length; i++)
        {
            IndexOf[Tasks[i].Id] = i;
        }
    }

    private readonly double[]? _weights;
    private int[][]? _levels;

    public WorkflowDefinition Definition { get; }

    public int Count => Tasks.Length;

    public TaskDefinition[] Tasks { get; }

    /// <summary>Each task's id, read from <see cref="Tasks"/> (not a copy: a million ids cost 8 MB).</summary>
    public IReadOnlyList<string> TaskIds { get; }

    public Dictionary<string, int> IndexOf { get; }

    /// <summary>Children of task i are <c>Children[ChildStart[i]..ChildStart[i+1]]</c>.</summary>
    public int[] ChildStart { get; private set; } = [];

    public int[] Children { get; private set; } = [];

    /// <summary>Parents of task i are <c>Parents[ParentStart[i]..ParentStart[i+1]]</c>.</summary>
    public int[] ParentStart { get; private set; } = [];

    public int[] Parents { get; private set; } = [];

    /// <summary>Number of distinct parents of <paramref name="task"/>.</summary>
    public int IndegreeOf(int task) => ParentStart[task + 1] - ParentStart[task];

    /// <summary>Tasks with no parents, in definition order.</summary>
    public int[] Roots { get; private set; } = [];

    /// <summary>Tasks grouped by level (0 for roots, else 1 + the deepest parent): each group can run
    /// together. Built on first read: only the graph view asks, and a run does not need them.</summary>
    public int[][] Levels => _levels ??= BuildLevels();

    /// <summary>Length of the longest path from each task to a sink, itself included, in estimated milliseconds (see <see cref="Weight"/>).</summary>
    public double[] RemainingPath { get; private set; } = [];

    /// <summary>The longest path through the graph, as task indices from a root to a sink.</summary>
    public int[] CriticalPath { get; private set; } = [];

    /// <summary>Each task's pool gate, or null when no task of the plan has a pool.</summary>
    public Limits.PoolGate?[]? PoolGates { get; set; }

    /// <summary>Each task's rate gate, or null when no task of the plan has a rate limit.</summary>
    public Limits.RateGate?[]? RateGates { get; set; }

    /// <summary>True when some task declares resources (checked against the engine's capacities).</summary>
    public bool UsesResources { get; set; }

    /// <summary>Each task's circuit breaker, or null when no task of the plan has one.</summary>
    public Limits.CircuitBreaker?[]? Breakers { get; set; }

    /// <summary>Whether the workflow or any task has a deadline (runs without one allocate nothing for it).</summary>
    public bool HasDeadlines { get; private set; }

    /// <summary>Whether any task is a <c>wait:</c> task (queueing checks for one only then).</summary>
    public bool HasWaits { get; private set; }

    /// <summary>True when some task runs a child workflow (<c>workflow:</c>), which the scheduler holds itself.</summary>
    public bool HasChildren { get; private set; }

    /// <summary>Where successful attempts' durations are recorded, to weigh plans compiled later; null when not tracked.</summary>
    public Scheduling.PlanDurations? Durations { get; set; }

    // The handler of each task, resolved once when the plan is bound to an engine; one for all when
    // every task has the same (a large generated workflow, typically), so not an array of a million.
    private ITaskHandler? _handler;
    private ITaskHandler[] _handlers = [];

    /// <summary>The handler bound to <paramref name="task"/>.</summary>
    public ITaskHandler HandlerOf(int task) => _handler ?? _handlers[task];

    public ReadOnlySpan<int> ChildrenOf(int task) => Children.AsSpan(ChildStart[task], ChildStart[task + 1] - ChildStart[task]);

    public ReadOnlySpan<int> ParentsOf(int task) => Parents.AsSpan(ParentStart[task], ParentStart[task + 1] - ParentStart[task]);

    /// <summary>Compiles a definition that passed validation. A dependency cycle or unknown
    /// dependency here is a bug in the caller (validation rejects both) and throws.
    /// <paramref name="weights"/> are measured durations in milliseconds per task (NaN where unknown),
    /// used for the remaining path instead of the static estimate. <paramref name="defaults"/> fill in
    /// the engine's default timeout and retry for tasks that set none. <paramref name="index"/> is each
    /// task id's index when the caller has it already (the validation's), taken over as it is.</summary>
    public static ExecutionPlan Compile(WorkflowDefinition definition, double[]? weights = null, EngineTaskDefaults? defaults = null, Dictionary<string, int>? index = null)
    {
        var plan = new ExecutionPlan(definition, weights, defaults, index);
        plan.HasDeadlines = definition.Deadline is not null || definition.Tasks.Any(t => t.Deadline is not null);
        plan.HasWaits = definition.Tasks.Any(t => t.Spec is WaitSpec);
        plan.HasChildren = definition.Tasks.Any(t => t.Spec is ChildWorkflowSpec);
        plan.BuildEdges();
        plan.BuildCriticalPath(plan.TopologicalOrder());
        return plan;
    }

    /// <summary>Resolves each task's handler by kind; returns the tasks whose kind has none.</summary>
    public IReadOnlyList<string> BindHandlers(IReadOnlyDictionary<string, ITaskHandler> handlers)
    {
        var missing = new List<string>();
        var bound = new ITaskHandler[Count];
        for (var i = 0; i < Count; i++)
        {
            if (handlers.TryGetValue(Tasks[i].Kind, out var handler))
            {
                bound[i] = handler;
            }
            else
            {
                missing.Add($"task '{TaskIds[i]}' has kind '{Tasks[i].Kind}', which no handler serves");
            }
        }

        if (missing.Count == 0 && bound.Length > 0 && bound.All(h => ReferenceEquals(h, bound[0])))
        {
            _handler = bound[0];
        }
        else
        {
            _handlers = bound;
        }

        return missing;
    }

    // The measured typical duration when known; otherwise a rough estimate so the critical path
    // favours long sleeps, every other kind counting as 1 ms. At least 1, so tasks that take no
    // measurable time still lengthen a path.
    private double Weight(int task) =>
        _weights is { } w && task < w.Length && !double.IsNaN(w[task]) ? Math.Max(1, w[task])
        : Tasks[task].Spec is SleepSpec s ? Math.Max(1, s.Duration.TotalMilliseconds) : 1;

    // Compressed rows built in two passes over the dependencies, a task's parents each resolved once
    // and repeats dropped with a stamp per task: no list per task (a million tasks made a million).
    private void BuildEdges()
    {
        var n = Count;
        var resolved = new int[Tasks.Sum(t => t.DependsOn.Count)];
        var stamp = new int[n]; // i + 1 once parent p was counted for task i
        ParentStart = new int[n + 1];
        var childCounts = new int[n];
        var k = 0;
        for (var i = 0; i < n; i++)
        {
            var distinct = 0;
            foreach (var dep in Tasks[i].DependsOn)
            {
                if (!IndexOf.TryGetValue(dep, out var p))
                {
                    throw new InvalidOperationException($"task '{TaskIds[i]}' depends on unknown task '{dep}'; validate before compiling");
                }

                if (stamp[p] == i + 1)
                {
                    resolved[k++] = -1;
                    continue;
                }

                stamp[p] = i + 1;
                resolved[k++] = p;
                childCounts[p]++;
                distinct++;
            }

            ParentStart[i + 1] = ParentStart[i] + distinct;
        }

        var edgeCount = ParentStart[n];
        Parents = new int[edgeCount];
        ChildStart = new int[n + 1];
        Children = new int[edgeCount];
        for (var i = 0; i < n; i++)
        {
            ChildStart[i + 1] = ChildStart[i] + childCounts[i];
        }

        var fill = childCounts; // reused: the next free place in each task's children
        Array.Copy(ChildStart, fill, n);
        k = 0;
        for (var i = 0; i < n; i++)
        {
            var at = ParentStart[i];
            for (var d = 0; d < Tasks[i].DependsOn.Count; d++)
            {
                var p = resolved[k++];
                if (p >= 0)
                {
                    Parents[at++] = p;
                    Children[fill[p]++] = i;
                }
            }
        }

        var roots = new int[Enumerable.Range(0, n).Count(i => IndegreeOf(i) == 0)];
        for (int i = 0, r = 0; i < n; i++)
        {
            if (IndegreeOf(i) == 0)
            {
                roots[r++] = i;
            }
        }

        Roots = roots;
    }

    private int[][] BuildLevels()
    {
        var n = Count;
        var level = new int[n];
        var depth = 0;
        foreach (var t in TopologicalOrder())
        {
            foreach (var p in ParentsOf(t))
            {
                level[t] = Math.Max(level[t], level[p] + 1);
            }

            depth = Math.Max(depth, level[t] + 1);
        }

        var sizes = new int[depth];
        foreach (var l in level)
        {
            sizes[l]++;
        }

        var levels = new int[depth][];
        for (var l = 0; l < depth; l++)
        {
            levels[l] = new int[sizes[l]];
            sizes[l] = 0;
        }

        for (var i = 0; i < n; i++)
        {
            levels[level[i]][sizes[level[i]]++] = i;
        }

        return levels;
    }

    private void BuildCriticalPath(int[] order)
    {
        var n = Count;
        RemainingPath = new double[n];
        var next = new int[n];
        for (var k = order.Length - 1; k >= 0; k--)
        {
            var t = order[k];
            var best = 0d;
            next[t] = -1;
            foreach (var c in ChildrenOf(t))
            {
                if (RemainingPath[c] > best)
                {
                    best = RemainingPath[c];
                    next[t] = c;
                }
            }

            RemainingPath[t] = Weight(t) + best;
        }

        if (n == 0)
        {
            return;
        }

        var start = Roots.OrderByDescending(r => RemainingPath[r]).First();
        var path = new List<int>();
        for (var t = start; t >= 0; t = next[t])
        {
            path.Add(t);
        }

        CriticalPath = [.. path];
    }

    // Kahn's algorithm in definition order, so levels and paths are stable across runs. The order
    // is its own queue: a task is appended once all its parents are, and taken in turn.
    private int[] TopologicalOrder()
    {
        var n = Count;
        var remaining = new int[n];
        for (var i = 0; i < n; i++)
        {
            remaining[i] = IndegreeOf(i);
        }

        var order = new int[n];
        Roots.CopyTo(order, 0);
        var count = Roots.Length;
        for (var head = 0; head < count; head++)
        {
            foreach (var c in ChildrenOf(order[head]))
            {
                if (--remaining[c] == 0)
                {
                    order[count++] = c;
                }
            }
        }

        if (count != n)
        {
            throw new InvalidOperationException("the workflow has a dependency cycle; validate before compiling");
        }

        return order;
    }
}
