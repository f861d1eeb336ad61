using Weft.Definitions;
using Weft.Planning;
using Weft.Scheduling;
using Weft.Storage;

namespace Weft;

public sealed partial class WeftEngine
{
    /// <summary>Validates and submits a run. Returns once the run is recorded. Throws
    /// <see cref="WorkflowValidationException"/> for an invalid definition and
    /// <see cref="WeftConfigurationException"/> for bad parameters or unknown functions; nothing is recorded then.</summary>
    public async ValueTask<RunHandle> SubmitAsync(
        WorkflowDefinition definition,
        IReadOnlyDictionary<string, string>? parameters = null,
        SubmitOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ThrowIfStopping();
        SubmitOptions.ThrowIfInvalid(options, _time.GetUtcNow());
        var plan = PlanFor(definition);
        var values = ResolveParameters(definition, parameters);
        var runId = options?.RunId ?? NewRunId();
        var run = new RunExecution(runId, plan, values, options?.Priority, _time.GetUtcNow());
        run.ResolveDeadlines(options?.Deadline);
        var dedupKey = options?.DedupKey;
        while (true)
        {
            Task? room = null;
            lock (_gate)
            {
                if (dedupKey is not null && _dedup.TryGet(dedupKey, run.SubmittedAt, out var existing))
                {
                    return HandleOf(existing);
                }

                if (_runs.ContainsKey(runId))
                {
                    throw new WeftDuplicateRunException(runId);
                }

                // While memory is critical, intake pauses: submissions wait until it falls.
                room = IntakePaused(options?.WaitIfMemoryCritical ?? true) ?? ReserveQueue(plan.Count, options?.WaitIfQueueFull ?? false);
                if (room is null)
                {
                    _runs.Add(runId, run);
                    if (dedupKey is not null)
                    {
                        _dedup.Add(dedupKey, runId, run.SubmittedAt);
                    }

                    break;
                }
            }

            await room.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            try
            {
                await _store.CreateRunAsync(new RunRecord(runId, definition, run.Params, run.SubmittedAt)
                {
                    Priority = options?.Priority,
                    NotBefore = options?.NotBefore,
                    Deadline = options?.Deadline,
                    Owner = NewLease(),
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException ex) when (ex.Message.Contains("already exists", StringComparison.Ordinal))
            {
                // The stores refuse a second run with the same id (their contract): another process won.
                throw new WeftDuplicateRunException(runId, ex);
            }
        }
        catch
        {
            lock (_gate)
            {
                _runs.Remove(runId);
                _scheduler.Counters.Outstanding -= plan.Count;
                if (dedupKey is not null)
                {
                    _dedup.Remove(dedupKey, runId);
                }
            }

            throw;
        }

        if (options?.NotBefore is { } notBefore && notBefore > _time.GetUtcNow())
        {
            // Pending until due; a timer on the engine's clock starts it (tests advance a fake clock).
            StartAt(run, notBefore);
            return new RunHandle(this, runId, run.Completion.Task);
        }

        StartNow(run);
        return new RunHandle(this, runId, run.Completion.Task);
    }

    private void StartNow(RunExecution run)
    {
        FollowUp follow;
        lock (_gate)
        {
            run.StartTimer?.Dispose();
            run.StartTimer = null;
            if (run.State != RunState.Pending || _stopping)
            {
                return;
            }

            _scheduler.Start(run);
            follow = TakeFollowUp();
        }

        Apply(follow);
    }

    /// <summary>Starts a pending run when the engine's clock reaches <paramref name="notBefore"/>.</summary>
    private void StartAt(RunExecution run, DateTimeOffset notBefore) =>
        run.StartTimer = LongTimers.Once(_time, static s => ((StartLater)s!).Fire(), new StartLater(this, run), notBefore - _time.GetUtcNow());

    private sealed class StartLater(WeftEngine engine, RunExecution run)
    {
        public void Fire() => engine.StartNow(run);
    }

    /// <summary>The built-in kinds and this process's handlers, plus the custom kinds <paramref name="definition"/> uses.</summary>
    private HashSet<string> KindsOf(WorkflowDefinition definition)
    {
        var kinds = new HashSet<string>(_handlers.Keys, StringComparer.Ordinal);
        foreach (var task in definition.Tasks)
        {
            if (task.Spec is CustomSpec)
            {
                kinds.Add(task.Kind);
            }
        }

        return kinds;
    }

    /// <summary>Validates and compiles a definition once per definition instance.</summary>
    private ExecutionPlan PlanFor(WorkflowDefinition definition)
    {
        if (_plans.TryGetValue(definition, out var cached))
        {
            return cached;
        }

        // A cluster scheduler runs nothing itself: a kind a plug-in adds is the workers' to know (a worker
        // without it records the attempt failed, naming the kind), so the scheduler accepts every custom kind.
        var clustered = _store is Cluster.IClusterStore;
        var errors = WorkflowValidator.Validate(definition, clustered ? KindsOf(definition) : _handlers.Keys);
        if (errors.Count > 0)
        {
            throw new WorkflowValidationException(errors);
        }

        PlanDurations? durations;
        double[]? weights;
        lock (_gate)
        {
            (durations, weights) = _durations.For(definition);
        }

        var plan = ExecutionPlan.Compile(definition, weights, EngineTaskDefaults.From(_options));
        plan.Durations = durations;
        var problems = clustered ? [] : plan.BindHandlers(_handlers).ToList();
        lock (_gate)
        {
            plan.PoolGates = _gates.BindPools(definition, problems);
            plan.RateGates = _gates.BindRates(definition, _time.GetUtcNow(), problems);
            plan.UsesResources = _gates.CheckResources(definition, problems);
            plan.Breakers = _gates.BindBreakers(definition);
        }

        // A cluster scheduler runs no function itself: the workers that claim the task have them.
        foreach (var task in clustered ? [] : definition.Tasks)
        {
            if (task.Spec is FunctionSpec f && !Functions.Contains(f.Name))
            {
                problems.Add($"task '{task.Id}' calls function '{f.Name}', which is not registered"
                    + (Functions.Names.Count == 0 ? " (no functions are registered)" : $" (registered: {string.Join(", ", Functions.Names.Order())})"));
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

    internal static IReadOnlyDictionary<string, string> ResolveParameters(WorkflowDefinition definition, IReadOnlyDictionary<string, string>? supplied)
    {
        var errors = new List<string>();
        var declared = definition.Params.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var name in supplied?.Keys ?? [])
        {
            if (!declared.ContainsKey(name))
            {
                errors.Add(declared.Count == 0
                    ? $"unknown parameter '{name}': workflow '{definition.Name}' declares no parameters"
                    : $"unknown parameter '{name}': workflow '{definition.Name}' declares {string.Join(", ", declared.Keys)}");
            }
        }

        var values = new Dictionary<string, string>(declared.Count, StringComparer.Ordinal);
        foreach (var p in definition.Params)
        {
            if (supplied is not null && supplied.TryGetValue(p.Name, out var value))
            {
                values[p.Name] = value;
            }
            else if (p.Default is not null)
            {
                values[p.Name] = p.Default;
            }
            else if (p.Required)
            {
                errors.Add($"missing required parameter '{p.Name}'" + (p.Description is null ? "" : $" ({p.Description})"));
            }
            else
            {
                values[p.Name] = string.Empty;
            }
        }

        return errors.Count > 0 ? throw new WeftConfigurationException(errors) : values;
    }

    internal static string NewRunId() => Guid.CreateVersion7().ToString("N");
}
