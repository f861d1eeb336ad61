namespace Weft.Definitions.Loading;

/// <summary>Reading the concurrency fields: <c>pools</c>, and the names tasks give in
/// <c>pool</c>, <c>queue</c>, <c>breaker</c> and <c>rateLimit</c>.</summary>
internal sealed partial class DefinitionReader
{
    private Dictionary<string, int> ReadPools(DocNode node)
    {
        var pools = new Dictionary<string, int>(StringComparer.Ordinal);
        if (node is DocScalar { IsNull: true })
        {
            return pools;
        }

        if (node is not DocMapping map)
        {
            Error(node.Location, $"'pools' must be a mapping of pool name to size, e.g. {{ db: 2 }}, not {node.Describe}");
            return pools;
        }

        foreach (var (key, value) in map.Entries)
        {
            if (LimitName(key, "a pool name") is not { } name || Int(value, $"the size of pool '{key.Text}'") is not { } size)
            {
                continue;
            }

            if (size < 1)
            {
                Error(value.Location, $"the size of pool '{name}' must be at least 1, not {size}");
                continue;
            }

            if (!pools.TryAdd(name, size))
            {
                Error(key.Location, $"pool '{name}' appears twice in 'pools'");
            }
        }

        return pools;
    }

    private Dictionary<string, RateLimit> ReadRateLimits(DocNode node)
    {
        var limits = new Dictionary<string, RateLimit>(StringComparer.Ordinal);
        if (node is DocScalar { IsNull: true })
        {
            return limits;
        }

        if (node is not DocMapping map)
        {
            Error(node.Location, $"'rateLimits' must be a mapping of key to rate, e.g. {{ api: 50/s }}, not {node.Describe}");
            return limits;
        }

        foreach (var (key, value) in map.Entries)
        {
            if (LimitName(key, "a rate limit key") is not { } name || Text(value, $"the rate of '{key.Text}'") is not { } text)
            {
                continue;
            }

            if (!RateLimit.TryParse(text, out var limit))
            {
                Error(value.Location, $"bad rate '{text}' for '{name}'; expected a count per second, minute or hour, e.g. 50/s, 600/m, 1000/h");
            }
            else if (!limits.TryAdd(name, limit))
            {
                Error(key.Location, $"rate limit '{name}' appears twice in 'rateLimits'");
            }
        }

        return limits;
    }

    private Dictionary<string, double> ReadResources(DocNode node, string ctx)
    {
        var resources = new Dictionary<string, double>(StringComparer.Ordinal);
        if (node is not DocMapping map)
        {
            Error(node.Location, $"'resources' {ctx} must be a mapping such as {{ cpu: 2, memory: 512MB }}, not {node.Describe}");
            return resources;
        }

        foreach (var (key, value) in map.Entries)
        {
            if (LimitName(key, $"a resource name {ctx}") is not { } name || Text(value, $"the amount of '{key.Text}' {ctx}") is not { } text)
            {
                continue;
            }

            if (!ResourceSizes.TryParse(text, out var amount))
            {
                Error(value.Location, $"bad amount '{text}' for resource '{name}' {ctx}; expected a number" + (name == "memory" ? " or a size such as 512MB or 2GiB" : ""));
            }
            else
            {
                resources[name] = amount;
            }
        }

        return resources;
    }

    // Pool and breaker names follow the task-id rule, so they read the same everywhere they are shown.
    private string? LimitName(DocNode node, string what)
    {
        if (Text(node, what) is not { } text)
        {
            return null;
        }

        if (!ValueChecks.IsLimitName(text))
        {
            Error(node.Location, $"{what} must be letters, digits, '.', '_' or '-', not '{text}'");
            return null;
        }

        return text;
    }
}
