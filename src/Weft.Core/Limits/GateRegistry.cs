using Weft.Definitions;

namespace Weft.Limits;

/// <summary>The engine's pools and circuit breakers by name. Plans bind each task to its gates
/// once, so dispatch reads an array instead of looking names up.</summary>
internal sealed class GateRegistry(WeftOptions options)
{
    private readonly Dictionary<string, RateGate> _rates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PoolGate> _pools = new(StringComparer.Ordinal);

    public ResourceGate Resources { get; } = new(new Dictionary<string, double>(options.Resources, StringComparer.Ordinal));

    /// <summary>The rate gate of each task (null where none); problems for keys nobody set.</summary>
    public RateGate?[]? BindRates(WorkflowDefinition definition, DateTimeOffset now, List<string> problems)
    {
        if (!definition.Tasks.Any(t => t.RateLimit is not null))
        {
            return null;
        }

        var gates = new RateGate?[definition.Tasks.Count];
        for (var i = 0; i < gates.Length; i++)
        {
            if (definition.Tasks[i].RateLimit is not { } key)
            {
                continue;
            }

            if (!_rates.TryGetValue(key, out var gate))
            {
                var limit = options.RateLimits.TryGetValue(key, out var o) ? o : definition.RateLimits.GetValueOrDefault(key);
                if (limit is null)
                {
                    problems.Add($"task '{definition.Tasks[i].Id}' uses rate limit '{key}', which is not set; declare it under 'rateLimits:' in the workflow or in WeftOptions.RateLimits");
                    continue;
                }

                _rates[key] = gate = new RateGate(key, limit, now);
            }

            gates[i] = gate;
        }

        return gates;
    }

    /// <summary>Problems for tasks that declare more than this process has in all.</summary>
    public bool CheckResources(WorkflowDefinition definition, List<string> problems)
    {
        var uses = false;
        foreach (var task in definition.Tasks.Where(t => t.Resources.Count > 0))
        {
            uses = true;
            if (Resources.NeverFits(task.Id, task.Resources) is { } problem)
            {
                problems.Add(problem);
            }
        }

        return uses;
    }
    private readonly Dictionary<string, CircuitBreaker> _breakers = new(StringComparer.Ordinal);

    public IEnumerable<CircuitBreaker> Breakers => _breakers.Values;

    public IEnumerable<PoolGate> Pools => _pools.Values;

    public CircuitBreaker? FindBreaker(string key) => _breakers.GetValueOrDefault(key);

    /// <summary>The pool gate of each task (null where none); problems for pools nobody sized.</summary>
    public PoolGate?[]? BindPools(WorkflowDefinition definition, List<string> problems)
    {
        if (!definition.Tasks.Any(t => t.Pool is not null))
        {
            return null;
        }

        var gates = new PoolGate?[definition.Tasks.Count];
        for (var i = 0; i < gates.Length; i++)
        {
            if (definition.Tasks[i].Pool is not { } name)
            {
                continue;
            }

            if (!_pools.TryGetValue(name, out var gate))
            {
                // Engine options size a pool for every workflow; a workflow's own 'pools' only when the
                // engine leaves it unsized (the first workflow to size it wins).
                int? size = options.Pools.TryGetValue(name, out var o) ? o
                    : definition.Pools.TryGetValue(name, out var d) ? d : null;
                if (size is null)
                {
                    problems.Add($"task '{definition.Tasks[i].Id}' uses pool '{name}', which has no size; declare it under 'pools:' in the workflow or in WeftOptions.Pools");
                    continue;
                }

                _pools[name] = gate = new PoolGate(name, size.Value);
            }

            gates[i] = gate;
        }

        return gates;
    }

    /// <summary>The breaker of each task: its <c>breaker:</c> name, or an <c>http</c> task's host.</summary>
    public CircuitBreaker?[]? BindBreakers(WorkflowDefinition definition)
    {
        if (!options.Breakers.Enabled)
        {
            return null;
        }

        CircuitBreaker?[]? gates = null;
        for (var i = 0; i < definition.Tasks.Count; i++)
        {
            if (KeyOf(definition.Tasks[i]) is not { } key)
            {
                continue;
            }

            if (!_breakers.TryGetValue(key, out var breaker))
            {
                _breakers[key] = breaker = new CircuitBreaker(key, options.Breakers);
            }

            (gates ??= new CircuitBreaker?[definition.Tasks.Count])[i] = breaker;
        }

        return gates;
    }

    // An http task's default key is its host (and port), when the host is not itself a template.
    private static string? KeyOf(TaskDefinition task)
    {
        if (task.Breaker is { } named)
        {
            return named;
        }

        if (task.Spec is HttpSpec http && !http.Url.Contains("{{", StringComparison.Ordinal)
            && Uri.TryCreate(http.Url, UriKind.Absolute, out var uri))
        {
            return uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        }

        return null;
    }
}
