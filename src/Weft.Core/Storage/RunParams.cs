using System.Text.Json;
using Weft.Definitions;

namespace Weft.Storage;

/// <summary>A run's parameters split for storage: the clear column holds every parameter with
/// secret values replaced by <c>***</c> (what listings show, readable without a key); the secret
/// values go to their own blob, encrypted when a key is configured.</summary>
internal static class RunParams
{
    public const string Mask = Secrets.SecretMasker.Mask;

    public static (Dictionary<string, string> Clear, Dictionary<string, string> Secrets) Split(
        WorkflowDefinition definition, IReadOnlyDictionary<string, string> values)
    {
        var clear = new Dictionary<string, string>(values, StringComparer.Ordinal);
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in definition.Params)
        {
            if (p.Secret && values.TryGetValue(p.Name, out var value))
            {
                secrets[p.Name] = value;
                clear[p.Name] = Mask;
            }
        }

        return (clear, secrets);
    }

    /// <summary>Parameters as a store keeps them: a JSON object of strings (through generated code, <see cref="RunParamsJson"/>).</summary>
    public static string ToJson(Dictionary<string, string> values) => JsonSerializer.Serialize(values, RunParamsJson.Default.DictionaryStringString);

    /// <summary>Parameters read back from <see cref="ToJson"/>'s JSON (none for JSON <c>null</c>).</summary>
    public static Dictionary<string, string> FromJson(string json) => JsonSerializer.Deserialize(json, RunParamsJson.Default.DictionaryStringString) ?? [];
}
