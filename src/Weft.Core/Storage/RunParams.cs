using Weft.Definitions;

namespace Weft.Storage;

/// <summary>A run's parameters split for storage: the clear column holds every parameter with
/// secret values replaced by <c>***</c> (what listings show, readable without a key); the secret
/// values go to their own blob, encrypted when a key is configured.</summary>
internal static class RunParams
{
    public const string Mask = "***";

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

    // Shorter values would blank out ordinary text ("a", "1"); they are not searched for.
    private const int MinimumSecretLength = 3;

    /// <summary>The values of the run's secret parameters worth searching for, longest first (so a
    /// secret containing another is masked whole).</summary>
    public static string[] SecretValues(WorkflowDefinition definition, IReadOnlyDictionary<string, string> values) =>
        [.. definition.Params
            .Where(p => p.Secret && values.TryGetValue(p.Name, out var v) && v.Length >= MinimumSecretLength)
            .Select(p => values[p.Name])
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(v => v.Length)];

    /// <summary><paramref name="text"/> with every secret value replaced by <see cref="Mask"/>: a task
    /// may echo a secret it was given into its error or stderr, and those are recorded.</summary>
    public static string? MaskSecrets(string? text, string[] secrets)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var secret in secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}
