using System.Runtime.CompilerServices;
using Weft.Coordination;
using Weft.Definitions;
using Weft.Execution;
using Weft.Handlers;
using Weft.Scheduling;

namespace Weft.Planning;

/// <summary>Validates a definition and compiles it into an <see cref="ExecutionPlan"/> bound to this
/// engine: its handlers (not on a cluster's scheduler, whose workers run the tasks), its pools, rate
/// limits, breakers and resources (the coordinator's gates), and the durations learned from earlier
/// runs; the engine's default task timeout and retry fill in what a task leaves unset. Plans are
/// cached per definition instance.</summary>
internal sealed class PlanBinder(Coordinator coordinator, Dictionary<string, ITaskHandler> handlers, FunctionRegistry functions, TimeProvider time, bool clustered, EngineTaskDefaults? defaults)
{
    private readonly ConditionalWeakTable<WorkflowDefinition, ExecutionPlan> _plans = [];
    private readonly DurationEstimates _durations = new(); // gate

    /// <summary>The built-in kinds and this process's handlers, plus the custom kinds <paramref name="definition"/> uses.</summary>
    private HashSet<string> KindsOf(WorkflowDefinition definition)
    {
        var kinds = new HashSet<string>(handlers.Keys, StringComparer.Ordinal);
        // Every kind the definition uses, typed ones too (sql): a kind whose handler lives outside the
        // core (Weft.Sql) is the workers' as much as a plug-in's.
        foreach (var task in definition.Tasks)
        {
            kinds.Add(task.Kind);
        }

        return kinds;
    }

    /// <summary>Validates and compiles a definition once per definition instance.</summary>
    public ExecutionPlan PlanFor(WorkflowDefinition definition)
    {
        if (_plans.TryGetValue(definition, out var cached))
        {
            return cached;
        }

        // A cluster scheduler runs nothing itself: a kind a plug-in adds is the workers' to know (a worker
        // without it records the attempt failed, naming the kind), so the scheduler accepts every custom kind.
        var errors = WorkflowValidator.Validate(definition, clustered ? KindsOf(definition) : handlers.Keys, out var index);
        if (errors.Count > 0)
        {
            throw new WorkflowValidationException(errors);
        }

        PlanDurations? durations;
        double[]? weights;
        lock (coordinator.Gate)
        {
            (durations, weights) = _durations.For(definition);
        }

        var plan = ExecutionPlan.Compile(definition, weights, defaults, index);
        plan.Durations = durations;
        var problems = clustered ? [] : plan.BindHandlers(handlers).ToList();
        lock (coordinator.Gate)
        {
            plan.PoolGates = coordinator.Gates.BindPools(definition, problems);
            plan.RateGates = coordinator.Gates.BindRates(definition, time.GetUtcNow(), problems);
            plan.UsesResources = coordinator.Gates.CheckResources(definition, problems);
            plan.Breakers = coordinator.Gates.BindBreakers(definition);
        }

        // A cluster scheduler runs no function itself: the workers that claim the task have them.
        foreach (var task in clustered ? [] : definition.Tasks)
        {
            if (task.Spec is FunctionSpec f && !functions.Contains(f.Name))
            {
                problems.Add($"task '{task.Id}' calls function '{f.Name}', which is not registered"
                    + (functions.Names.Count == 0 ? " (no functions are registered)" : $" (registered: {string.Join(", ", functions.Names.Order())})"));
            }
        }

        if (problems.Count > 0)
        {
            throw new WeftConfigurationException(problems);
        }

        // Functions registered later would make a cached "unknown function" plan stale, so only
        // plans without function tasks are cached for good; others are re-checked (cheaply) each time.
        if (!definition.Tasks.Any(t => t.Spec is FunctionSpec))
        {
            _plans.AddOrUpdate(definition, plan);
        }

        return plan;
    }
}
