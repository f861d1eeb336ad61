using Weft.Monitoring;

namespace Weft;

public sealed partial class WeftEngine
{
    private ResourceMonitor? _monitor;
    private ITimer? _monitorTimer;
    private TaskCompletionSource? _intakeResumed;
    private long _workerCrashes;

    /// <summary>Worker crashes reported since the engine started (the <c>weft.worker.crashes</c> counter).</summary>
    internal long WorkerCrashes => Interlocked.Read(ref _workerCrashes);

    /// <summary>The sampler of process readings; tests substitute one to drive the alerts.</summary>
    internal IProcessSampler Sampler { get; set; } = new CurrentProcessSampler();

    private void StartMonitor()
    {
        _monitor = new ResourceMonitor(_options.Monitor);
        if (_options.Monitor.SampleEvery is { } every)
        {
            _monitorTimer = _time.CreateTimer(static s => ((WeftEngine)s!).MonitorTick(), this, every, every);
        }
    }

    /// <summary>Samples the process and re-evaluates alerts now (the timer calls it every
    /// <see cref="MonitorOptions.SampleEvery"/>).</summary>
    internal void MonitorTick()
    {
        var sample = Sampler.Sample();
        var now = _time.GetUtcNow();
        IReadOnlyList<string> raised;
        TaskCompletionSource? resume = null;
        lock (_gate)
        {
            if (_stopping || _monitor is null)
            {
                return;
            }

            var queued = _scheduler.ReadyCount;
            var open = _gates.Breakers.Where(b => b.State != Limits.BreakerState.Closed).Select(b => $"{b.Key} ({b.StateName})");
            raised = _monitor.Observe(now, sample, queued, SlowTasks(now), open);
            if (!_monitor.Critical && _intakeResumed is not null)
            {
                resume = _intakeResumed;
                _intakeResumed = null;
            }
        }

        resume?.TrySetResult();
        if (_monitor?.Critical == true)
        {
            // Memory is critical: the in-memory result cache goes first (a durable store keeps its copy).
            _cache.Memory.Clear();
        }

        foreach (var alert in raised)
        {
            _options.OnAlert?.Invoke(alert);
        }
    }

    /// <summary>Reports that a worker died while it should have been working: an in-process slot
    /// whose loop ended by an exception, a cluster worker whose lease lapsed. Raises the
    /// <c>worker_crash</c> alert (active for <see cref="MonitorOptions.WorkerCrashAlertFor"/> after the
    /// last crash, degrading health), counts it in <c>weft.worker.crashes</c>, and calls
    /// <see cref="WeftOptions.OnAlert"/> the first time each worker crashes in that window. Safe from
    /// any thread; do not call it while holding the engine's lock.</summary>
    /// <param name="who">Which worker: a slot ("slot 3") or a cluster worker's name.</param>
    /// <param name="detail">What happened, in a few words (an exception's message, "lease expired").</param>
    internal void ReportWorkerCrash(string who, string detail)
    {
        Interlocked.Increment(ref _workerCrashes);
        var now = _time.GetUtcNow();
        string? raised;
        lock (_gate)
        {
            raised = _monitor?.WorkerCrashed(now, who, detail);
        }

        if (raised is not null)
        {
            _options.OnAlert?.Invoke(raised);
        }
    }

    // Under the lock. Runs with nothing running cost one check each, so this stays cheap with many
    // runs kept; it happens once per sample, not per task.
    private List<SlowTask> SlowTasks(DateTimeOffset now)
    {
        var margin = _options.Monitor.SlowTaskMargin;
        List<SlowTask> slow = [];
        foreach (var run in _runs.Values)
        {
            if (run.RunningCount == 0 || run.Plan.Durations is not { } durations)
            {
                continue;
            }

            foreach (var (task, startedAt) in run.Running())
            {
                var running = now - startedAt;
                if (durations.Usual(task) is { } usual && running > usual + margin)
                {
                    slow.Add(new SlowTask(run.RunId, run.Plan.Tasks[task].Id, running, usual));
                }
            }
        }

        return slow;
    }

    /// <summary>True while memory is critical (working set above <see cref="MonitorOptions.CriticalBytes"/>,
    /// until it falls below <see cref="MonitorOptions.WarningBytes"/>): submissions wait, or fail with
    /// <see cref="WeftMemoryCriticalException"/> when they asked not to wait. Re-evaluated at each sample.</summary>
    public bool IsMemoryCritical
    {
        get
        {
            lock (_gate)
            {
                return _monitor is { Critical: true };
            }
        }
    }

    // Call under the lock: a task to wait on while memory is critical, else null; throws instead of
    // waiting when the submitter would rather be told.
    private Task? IntakePaused(bool wait)
    {
        if (_monitor is not { Critical: true })
        {
            return null;
        }

        if (!wait)
        {
            throw new WeftMemoryCriticalException();
        }

        _intakeResumed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _intakeResumed.Task;
    }

    private async Task StopMonitorAsync()
    {
        if (_monitorTimer is not null)
        {
            await _monitorTimer.DisposeAsync().ConfigureAwait(false);
        }

        TaskCompletionSource? waiting;
        lock (_gate)
        {
            waiting = _intakeResumed;
            _intakeResumed = null;
        }

        waiting?.TrySetException(new ObjectDisposedException(nameof(WeftEngine)));
    }
}
