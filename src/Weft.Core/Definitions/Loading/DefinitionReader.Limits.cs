namespace Weft.Definitions.Loading;

/// <summary>Reading the concurrency fields: <c>pools</c>, and the names tasks give in
/// <c>pool</c> and <c>breaker</c>.</summary>
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

    // Pool and breaker names follow the task-id rule, so they read the same everywhere they are shown.
    private string? LimitName(DocNode node, string what)
    {
        if (Text(node, what) is not { } text)
        {
            return null;
        }

        if (text.Length == 0 || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            Error(node.Location, $"{what} must be letters, digits, '.', '_' or '-', not '{text}'");
            return null;
        }

        return text;
    }
}
