using System.Collections;

namespace Weft.Configuration;

/// <summary>Variables named <c>WEFT__SECTION__KEY</c> (the .NET convention: <c>__</c> separates levels),
/// e.g. <c>WEFT__POOL__MAXWORKERS=16</c>. Read from a given set so tests need not touch the process's.</summary>
internal sealed class EnvironmentLayer : ConfigLayer
{
    public const string Prefix = "WEFT__";

    private readonly Dictionary<string, string> _names = new(StringComparer.OrdinalIgnoreCase);

    public EnvironmentLayer(IDictionary variables)
    {
        foreach (DictionaryEntry entry in variables)
        {
            if (entry.Key is string name && name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && name.Length > Prefix.Length)
            {
                var key = name[Prefix.Length..].Replace("__", ":", StringComparison.Ordinal);
                Data[key] = entry.Value as string ?? "";
                _names[key] = name;
            }
        }
    }

    public override string Describe(string key) => _names.TryGetValue(key, out var name) ? $"env {name}" : "env";
}
