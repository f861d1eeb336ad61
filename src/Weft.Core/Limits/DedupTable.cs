namespace Weft.Limits;

/// <summary>Dedup keys of recent submissions: a second submit with the same key within the window
/// gets the first run's id. Guarded by the engine's lock.</summary>
internal sealed class DedupTable(TimeSpan window)
{
    private readonly Dictionary<string, (string RunId, DateTimeOffset Expires)> _keys = new(StringComparer.Ordinal);

    public bool TryGet(string key, DateTimeOffset now, out string runId)
    {
        if (_keys.TryGetValue(key, out var entry) && entry.Expires > now)
        {
            runId = entry.RunId;
            return true;
        }

        runId = string.Empty;
        return false;
    }

    public void Add(string key, string runId, DateTimeOffset now)
    {
        if (_keys.Count >= 1024)
        {
            // Sweep expired keys now and then, so a long-lived engine does not keep them forever.
            foreach (var expired in _keys.Where(k => k.Value.Expires <= now).Select(k => k.Key).ToList())
            {
                _keys.Remove(expired);
            }
        }

        _keys[key] = (runId, now + window);
    }

    public void Remove(string key, string runId)
    {
        if (_keys.TryGetValue(key, out var entry) && entry.RunId == runId)
        {
            _keys.Remove(key);
        }
    }
}
