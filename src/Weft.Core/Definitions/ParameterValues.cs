namespace Weft.Definitions;

/// <summary>The values of a run's parameters: what the caller supplied, else the declared default;
/// an unknown or missing required parameter is an error (all of them together).</summary>
internal static class ParameterValues
{
    public static IReadOnlyDictionary<string, string> Resolve(WorkflowDefinition definition, IReadOnlyDictionary<string, string>? supplied)
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
}
