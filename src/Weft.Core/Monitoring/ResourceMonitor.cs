namespace Weft.Monitoring;

/// <summary>Turns process samples and engine counters into alerts: memory warning and critical,
/// sustained heap growth (a leak), queue backlog, slow tasks, open circuit breakers. Pure: the
/// engine feeds it a sample and a view of the queue at each tick of its clock.</summary>
internal sealed class ResourceMonitor(MonitorOptions options)
{
    private readonly Dictionary<string, string> _alerts = new(StringComparer.Ordinal);
    private ProcessSample? _last;
    private DateTimeOffset _lastAt;
    private DateTimeOffset? _growingSince;
    private DateTimeOffset? _backlogSince;

    public ProcessSample? Last => _last;

    /// <summary>CPU use over the last interval, in cores (1.0 = one core busy).</summary>
    public double CpuCores { get; private set; }

    /// <summary>Working set above the critical level: intake is paused and the cache shed.</summary>
    public bool Critical { get; private set; }

    public IReadOnlyList<string> Alerts => [.. _alerts.Values];

    /// <summary>Evaluates one tick; returns the alerts raised by it (new ones only).</summary>
    public IReadOnlyList<string> Observe(DateTimeOffset now, ProcessSample sample, int queued, IEnumerable<string> slowTasks, IEnumerable<string> openBreakers)
    {
        var raised = new List<string>();
        void Set(string key, string? message)
        {
            if (message is null)
            {
                _alerts.Remove(key);
                return;
            }

            // Raised once when it becomes active; its text keeps the latest figures while it lasts.
            if (!_alerts.ContainsKey(key))
            {
                raised.Add(message);
            }

            _alerts[key] = message;
        }

        var mb = sample.WorkingSetBytes / (1024 * 1024);
        Critical = sample.WorkingSetBytes >= options.CriticalBytes || (Critical && sample.WorkingSetBytes >= options.WarningBytes);
        Set("memory", Critical
            ? $"critical: working set {mb} MB ≥ {options.CriticalBytes / (1024 * 1024)} MB; new submissions wait until it falls below {options.WarningBytes / (1024 * 1024)} MB"
            : sample.WorkingSetBytes >= options.WarningBytes ? $"warning: working set {mb} MB ≥ {options.WarningBytes / (1024 * 1024)} MB" : null);

        if (_last is { } last && now > _lastAt)
        {
            var seconds = (now - _lastAt).TotalSeconds;
            CpuCores = (sample.CpuTime - last.CpuTime).TotalSeconds / seconds;
            var growth = (sample.GcHeapBytes - last.GcHeapBytes) / seconds;
            _growingSince = growth > options.LeakBytesPerSecond ? _growingSince ?? _lastAt : null;
        }

        Set("leak", _growingSince is { } since && now - since >= options.LeakSustainedFor
            ? $"possible leak: the GC heap has grown faster than {options.LeakBytesPerSecond / (1024 * 1024)} MB/s for {(now - since).TotalSeconds:0} s (now {sample.GcHeapBytes / (1024 * 1024)} MB)"
            : null);

        _backlogSince = queued > options.BacklogThreshold ? _backlogSince ?? now : null;
        Set("backlog", _backlogSince is { } b && now - b >= options.BacklogFor
            ? $"backlog: {queued} tasks queued for {(now - b).TotalSeconds:0} s (threshold {options.BacklogThreshold})"
            : null);

        var slow = slowTasks.ToList();
        Set("slow", slow.Count == 0 ? null : $"slow tasks: {string.Join("; ", slow.Take(5))}{(slow.Count > 5 ? $" and {slow.Count - 5} more" : "")}");

        var open = openBreakers.ToList();
        Set("breakers", open.Count == 0 ? null : $"circuit breakers not closed: {string.Join(", ", open)}");

        _last = sample;
        _lastAt = now;
        return raised;
    }
}
