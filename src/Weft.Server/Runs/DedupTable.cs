using Microsoft.Extensions.Options;

namespace Weft.Server.Runs;

/// <summary>Dedup keys of recent submissions: key → the run it started, for
/// <see cref="WeftServerOptions.DedupWindow"/>. The run id is reserved before the run is submitted, so
/// two submitters racing on one key (two schedule runners on one tick) get the same id and only one
/// starts the run. It lives in the server until the engine's own SubmitOptions carry a dedup key.</summary>
internal sealed class DedupTable(TimeProvider time, IOptions<WeftServerOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string RunId, DateTimeOffset Expires)> _keys = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="key"/> is new (or expired) and now points at <paramref name="runId"/>;
    /// false when it already points at a live run, given in <paramref name="existing"/>.</summary>
    public bool TryReserve(string key, string runId, out string existing)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_keys.TryGetValue(key, out var entry) && entry.Expires > now)
            {
                existing = entry.RunId;
                return false;
            }

            if (_keys.Count > 1024)
            {
                Sweep(now);
            }

            _keys[key] = (runId, now + options.Value.DedupWindow);
            existing = runId;
            return true;
        }
    }

    /// <summary>Forgets a reservation whose submission failed, so a corrected retry is not deduplicated.</summary>
    public void Release(string key, string runId)
    {
        lock (_gate)
        {
            if (_keys.TryGetValue(key, out var entry) && entry.RunId == runId)
            {
                _keys.Remove(key);
            }
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var key in _keys.Where(k => k.Value.Expires <= now).Select(k => k.Key).ToList())
        {
            _keys.Remove(key);
        }
    }
}
