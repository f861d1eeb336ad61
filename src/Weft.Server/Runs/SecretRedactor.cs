using System.Collections.Concurrent;
using Weft.Storage;

namespace Weft.Server.Runs;

/// <summary>Replaces the values of a run's secret parameters with <c>***</c> wherever they show up in
/// text the server hands out (outputs, errors, events), because a task may echo a secret it was given.
/// Parameter values themselves are already masked by the engine's snapshots.</summary>
internal sealed class SecretRedactor(WeftEngine engine)
{
    public const string Mask = "***";

    // Secrets shorter than this would blank out ordinary text ("a", "1"); they are not searched for.
    private const int MinimumSecretLength = 3;

    // Bounded: a long-running server sees many runs; the cache is only a shortcut to the store.
    private const int CacheLimit = 4096;

    private readonly ConcurrentDictionary<string, string[]> _secrets = new(StringComparer.Ordinal);

    public async ValueTask<string?> RedactAsync(string runId, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var secret in await SecretsOfAsync(runId).ConfigureAwait(false))
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    public async ValueTask<string[]> SecretsOfAsync(string runId)
    {
        if (_secrets.TryGetValue(runId, out var cached))
        {
            return cached;
        }

        var stored = await engine.Store.LoadRunAsync(runId).ConfigureAwait(false);
        var secrets = stored is null ? [] : Of(stored.Record);
        if (_secrets.Count >= CacheLimit)
        {
            _secrets.Clear();
        }

        _secrets[runId] = secrets;
        return secrets;
    }

    private static string[] Of(RunRecord record) =>
        [.. record.Definition.Params
            .Where(p => p.Secret && record.Params.TryGetValue(p.Name, out var v) && v.Length >= MinimumSecretLength)
            .Select(p => record.Params[p.Name])
            .OrderByDescending(v => v.Length)];
}
