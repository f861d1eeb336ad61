using System.Collections.Concurrent;
using Weft.Secrets;

namespace Weft.Server.Runs;

/// <summary>The <see cref="SecretMasker"/> of each run the server shows (API, event stream,
/// dashboard, traces), built from the run's record in the store and remembered, since a run's
/// secrets never change.</summary>
internal sealed class RunSecrets(WeftEngine engine)
{
    // Bounded: a long-running server sees many runs; the cache is only a shortcut to the store.
    private const int CacheLimit = 4096;

    private readonly ConcurrentDictionary<string, SecretMasker> _maskers = new(StringComparer.Ordinal);

    public async ValueTask<SecretMasker> MaskerAsync(string runId, CancellationToken ct = default)
    {
        if (_maskers.TryGetValue(runId, out var cached))
        {
            return cached;
        }

        // Not remembered while the store does not know the run yet: its secrets would be missed for good.
        if (await engine.Store.LoadRunAsync(runId, ct).ConfigureAwait(false) is not { } stored)
        {
            return SecretMasker.None;
        }

        if (_maskers.Count >= CacheLimit)
        {
            _maskers.Clear();
        }

        return _maskers[runId] = SecretMasker.For(stored.Record);
    }
}
