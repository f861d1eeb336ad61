using Weft.Definitions;
using Weft.Execution;

namespace Weft.Planning;

/// <summary>A workflow compiled once into arrays: tasks indexed 0..n-1, edges in CSR form (children
/// and parents), indegrees, levels and the critical path. A run is then only small arrays over the
/// plan, so starting a run of many tasks allocates almost nothing.</summary>
internal sealed class ExecutionPlan
{
    private ExecutionPlan(WorkflowDefinition definition, double[]? weights, EngineTaskDefaults? defaults)
    {
        Definition = definition;
        _weights = weights;
        Tasks = defaults is null ? [.. definition.Tasks] : [.. definition.Tasks.Select(defaults.Apply)];
        TaskIds = [.. Tasks.Select(t => t.Id)];
        IndexOf = new Dictionary<string, int>(Tasks.Length, StringComparer.Ordinal);
        for (var i = 0; i < Tasks.Length; i++)
        {
            IndexOf[TaskIds[i]] = i;
        }
    }

    private readonly double[]? _weights;

    public WorkflowDefinition Definition { get; }

    public int Count => Tasks.Length;

    public TaskDefinition[] Tasks { get; }

    public string[] TaskIds { get; }

    public Dictionary<string, int> IndexOf { get; }

    /// <summary>Children of task i are <c>Children[ChildStart[i]..ChildStart[i+1]]</c>.</summary>
    public int[] ChildStart { get; private set; } = [];

    public int[] Children { get; private set; } = [];

    /// <summary>Parents of task i are <c>Parents[ParentStart[i]..ParentStart[i+1]]</c>.</summary>
    public int[] ParentStart { get; private set; } = [];

    public int[] Parents { get; private set; } = [];

    /// <summary>Number of distinct parents of each task.</summary>
    public int[] Indegree { get; private set; } = [];

    /// <summary>Tasks with no parents, in definition order.</summary>
    public int[] Roots { get; private set; } = [];

    /// <summary>Level of each task: 0 for roots, else 1 + the deepest parent.</summary>
    public int[] Level { get; private set; } = [];

    /// <summary>Tasks grouped by level: each group can run together.</summary>
    public int[][] Levels { get; private set; } = [];

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

    /// <summary>The handler of each task, resolved once when the plan is bound to an engine.</summary>
    public ITaskHandler[] Handlers { get; private set; } = [];

    public ReadOnlySpan<int> ChildrenOf(int task) => Children.AsSpan(ChildStart[task], ChildStart[task + 1] - ChildStart[task]);

    public ReadOnlySpan<int> ParentsOf(int task) => Parents.AsSpan(ParentStart[task], ParentStart[task + 1] - ParentStart[task]);

    /// <summary>Compiles a definition that passed validation. A dependency cycle or unknown
    /// dependency here is a bug in the caller (validation rejects both) and throws.
    /// <paramref name="weights"/> are measured durations in milliseconds per task (NaN where unknown),
    /// used for the remaining path instead of the static estimate. <paramref name="defaults"/> fill in
    /// the engine's default timeout and retry for tasks that set none.</summary>
    public static ExecutionPlan Compile(WorkflowDefinition definition, double[]? weights = null, EngineTaskDefaults? defaults = null)
    {
        var plan = new ExecutionPlan(definition, weights, defaults);
        plan.HasDeadlines = definition.Deadline is not null || definition.Tasks.Any(t => t.Deadline is not null);
        plan.HasWaits = definition.Tasks.Any(t => t.Spec is WaitSpec);
        plan.HasChildren = definition.Tasks.Any(t => t.Spec is ChildWorkflowSpec);
        plan.BuildEdges();
        plan.BuildLevels();
        plan.BuildCriticalPath();
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

        Handlers = bound;
        return missing;
    }

    // The measured typical duration when known; otherwise a rough estimate so the critical path
    // favours long sleeps, every other kind counting as 1 ms. At least 1, so tasks that take no
    // measurable time still lengthen a path.
    private double Weight(int task) =>
        _weights is { } w && task < w.Length && !double.IsNaN(w[task]) ? Math.Max(1, w[task])
        : Tasks[task].Spec is SleepSpec s ? Math.Max(1, s.Duration.TotalMilliseconds) : 1;

    private void BuildEdges()
    {
        var n = Count;
        var parentLists = new List<int>[n];
        var childCounts = new int[n];
        var edgeCount = 0;
        for (var i = 0; i < n; i++)
        {
            var list = new List<int>(Tasks[i].DependsOn.Count);
            foreach (var dep in Tasks[i].DependsOn)
            {
                if (!IndexOf.TryGetValue(dep, out var p))
                {
                    throw new InvalidOperationException($"task '{TaskIds[i]}' depends on unknown task '{dep}'; validate before compiling");
                }

                if (!list.Contains(p))
                {
                    list.Add(p);
                    childCounts[p]++;
                    edgeCount++;
                }
            }

            parentLists[i] = list;
        }

        ParentStart = new int[n + 1];
        Parents = new int[edgeCount];
        ChildStart = new int[n + 1];
        Children = new int[edgeCount];
        Indegree = new int[n];
        for (var i = 0; i < n; i++)
        {
            ParentStart[i + 1] = ParentStart[i] + parentLists[i].Count;
            ChildStart[i + 1] = ChildStart[i] + childCounts[i];
            Indegree[i] = parentLists[i].Count;
        }

        var fill = ChildStart[..n];
        for (var i = 0; i < n; i++)
        {
            var k = ParentStart[i];
            foreach (var p in parentLists[i])
            {
                Parents[k++] = p;
                Children[fill[p]++] = i;
            }
        }

        Roots = [.. Enumerable.Range(0, n).Where(i => Indegree[i] == 0)];
    }

    private void BuildLevels()
    {
        var n = Count;
        var order = TopologicalOrder();
        Level = new int[n];
        foreach (var t in order)
        {
            foreach (var p in ParentsOf(t))
            {
                Level[t] = Math.Max(Level[t], Level[p] + 1);
            }
        }

        var depth = n == 0 ? 0 : Level.Max() + 1;
        var groups = new List<int>[depth];
        for (var l = 0; l < depth; l++)
        {
            groups[l] = [];
        }

        for (var i = 0; i < n; i++)
        {
            groups[Level[i]].Add(i);
        }

        Levels = [.. groups.Select(g => g.ToArray())];
        TopoOrder = order;
    }

    private int[] TopoOrder { get; set; } = [];

    private void BuildCriticalPath()
    {
        var n = Count;
        RemainingPath = new double[n];
        var next = new int[n];
        for (var k = TopoOrder.Length - 1; k >= 0; k--)
        {
            var t = TopoOrder[k];
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

    // Kahn's algorithm in definition order, so levels and paths are stable across runs.
    private int[] TopologicalOrder()
    {
        var n = Count;
        var remaining = (int[])Indegree.Clone();
        var queue = new Queue<int>(Roots);
        var order = new int[n];
        var count = 0;
        while (queue.Count > 0)
        {
            var t = queue.Dequeue();
            order[count++] = t;
            foreach (var c in ChildrenOf(t))
            {
                if (--remaining[c] == 0)
                {
                    queue.Enqueue(c);
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
