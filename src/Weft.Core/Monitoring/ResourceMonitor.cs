namespace Weft.Monitoring;

/// <summary>Turns process samples and engine counters into alerts: memory warning and critical,
/// sustained heap growth (a leak), queue backlog, slow tasks, open circuit breakers, worker crashes.
/// Pure: the engine feeds it a sample and a view of the queue at each tick of its clock, and each
/// worker crash as it is reported. Used under the engine's lock.</summary>
internal sealed class ResourceMonitor(MonitorOptions options)
{
    private readonly Dictionary<string, string> _alerts = new(StringComparer.Ordinal);
    private ProcessSample? _last;
    private DateTimeOffset _lastAt;
    private DateTimeOffset? _growingSince;
    private DateTimeOffset? _backlogSince;
    private HashSet<string> _slowReported = new(StringComparer.Ordinal);
    private readonly HashSet<string> _crashedWorkers = new(StringComparer.Ordinal);
    private DateTimeOffset? _firstCrash;
    private DateTimeOffset? _lastCrash;
    private int _crashes;

    public ProcessSample? Last => _last;

    /// <summary>CPU use over the last interval, in cores (1.0 = one core busy).</summary>
    public double CpuCores { get; private set; }

    /// <summary>Working set above the critical level: intake is paused and the cache shed.</summary>
    public bool Critical { get; private set; }

    public IReadOnlyList<string> Alerts => [.. _alerts.Values];

    /// <summary>The active alerts at <paramref name="now"/>: a worker-crash alert whose window has
    /// passed is gone even before the next sample.</summary>
    public IReadOnlyList<string> AlertsAt(DateTimeOffset now)
    {
        ExpireCrashes(now);
        return Alerts;
    }

    /// <summary>Records a worker crash; the <c>worker_crash</c> alert stays active until
    /// <see cref="MonitorOptions.WorkerCrashAlertFor"/> has passed without another. Returns the
    /// alert to announce when this worker had not crashed yet in the current window, else null
    /// (so a worker crashing in a loop is announced once, not once per crash).</summary>
    public string? WorkerCrashed(DateTimeOffset now, string who, string detail)
    {
        ExpireCrashes(now);
        _firstCrash ??= now;
        _lastCrash = now;
        _crashes++;
        var message = $"worker crash: {who}: {detail}";
        _alerts[WorkerCrashKey] = _crashes == 1
            ? $"{message} (at {now:HH:mm:ss}Z)"
            : $"{message} (at {now:HH:mm:ss}Z; {_crashes} crashes since {_firstCrash:HH:mm:ss}Z)";
        return _crashedWorkers.Add(who) ? message : null;
    }

    /// <summary>Evaluates one tick; returns the alerts raised by it (new ones only).</summary>
    public IReadOnlyList<string> Observe(DateTimeOffset now, ProcessSample sample, int queued, IReadOnlyList<SlowTask> slowTasks, IEnumerable<string> openBreakers)
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

        ObserveSlow(slowTasks, raised);
        ExpireCrashes(now);

        var open = openBreakers.ToList();
        Set("breakers", open.Count == 0 ? null : $"circuit breakers not closed: {string.Join(", ", open)}");

        _last = sample;
        _lastAt = now;
        return raised;
    }

    private const string SlowTaskKey = "slow_task";
    private const string WorkerCrashKey = "worker_crash";

    // One alert in the status, however many tasks are slow; each task is announced once, when it
    // becomes slow, and the alert clears when none is left (they finished or were cancelled).
    private void ObserveSlow(IReadOnlyList<SlowTask> slow, List<string> raised)
    {
        var now = new HashSet<string>(StringComparer.Ordinal);
        foreach (var task in slow)
        {
            if (now.Add(task.Identity) && !_slowReported.Contains(task.Identity))
            {
                raised.Add($"slow task: {task}");
            }
        }

        _slowReported = now;
        if (slow.Count == 0)
        {
            _alerts.Remove(SlowTaskKey);
            return;
        }

        _alerts[SlowTaskKey] = slow.Count == 1
            ? $"slow task: {slow[0]}"
            : $"slow tasks: {string.Join("; ", slow.Take(5))}{(slow.Count > 5 ? $" and {slow.Count - 5} more" : "")}";
    }

    private void ExpireCrashes(DateTimeOffset now)
    {
        if (_lastCrash is { } last && now - last >= options.WorkerCrashAlertFor)
        {
            _alerts.Remove(WorkerCrashKey);
            _crashedWorkers.Clear();
            _firstCrash = null;
            _lastCrash = null;
            _crashes = 0;
        }
    }
}
