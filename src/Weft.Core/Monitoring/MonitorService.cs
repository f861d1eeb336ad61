using Weft.Coordination;
using Weft.Services;

namespace Weft.Monitoring;

/// <summary>Samples the process every <see cref="MonitorOptions.SampleEvery"/> on the engine's clock
/// and keeps the alerts (<see cref="ResourceMonitor"/>): memory, queue depth, slow tasks, open
/// breakers, worker crashes. While memory is critical, submissions wait (<see cref="IntakePaused"/>)
/// and the in-memory result cache is cleared.</summary>
internal sealed class MonitorService(Coordinator coordinator, WeftOptions options, Caching.ResultCache cache) : TimerService(options.TimeProvider)
{
    private readonly ResourceMonitor _monitor = new(options.Monitor); // gate
    private TaskCompletionSource? _intakeResumed; // gate
    private long _workerCrashes;
    private readonly SystemCpuMeter _machine = new(); // sampled on the timer's thread, one tick at a time
    private SystemCpuLoad? _machineLoad; // gate

    public override string Name => "resource monitor";

    protected override TimeSpan Period => options.Monitor.SampleEvery ?? Timeout.InfiniteTimeSpan;

    protected override bool Enabled => options.Monitor.SampleEvery is not null;

    /// <summary>The sampler of process readings; tests substitute one to drive the alerts.</summary>
    public IProcessSampler Sampler { get; set; } = new CurrentProcessSampler();

    /// <summary>Worker crashes reported since the engine started (the <c>weft.worker.crashes</c> counter).</summary>
    public long WorkerCrashes => Interlocked.Read(ref _workerCrashes);

    /// <summary>Under the gate.</summary>
    public bool Critical => _monitor.Critical;

    /// <summary>Under the gate: the active alerts.</summary>
    public IReadOnlyList<string> AlertsAt(DateTimeOffset now) => _monitor.AlertsAt(now);

    /// <summary>Under the gate: the machine's CPU over the last interval; null before two samples.</summary>
    public SystemCpuLoad? MachineLoad => _machineLoad;

    /// <summary>Under the gate: process CPU use as a fraction of all cores; null before two samples.</summary>
    public double? CpuFraction() => _monitor is { Last: not null, CpuCores: > 0 } m ? m.CpuCores / Environment.ProcessorCount : null;

    protected override Task Tick()
    {
        Sample();
        return Task.CompletedTask;
    }

    /// <summary>Samples the process and re-evaluates alerts now.</summary>
    public void Sample()
    {
        var sample = Sampler.Sample();
        var machine = _machine.Next();
        var now = Time.GetUtcNow();
        IReadOnlyList<string> raised;
        TaskCompletionSource? resume = null;
        bool critical;
        lock (coordinator.Gate)
        {
            if (coordinator.Stopping)
            {
                return;
            }

            _machineLoad = machine ?? _machineLoad;
            var queued = coordinator.Scheduler.ReadyCount;
            var open = coordinator.Gates.Breakers.Where(b => b.State != Limits.BreakerState.Closed).Select(b => $"{b.Key} ({b.StateName})");
            raised = _monitor.Observe(now, sample, queued, SlowTasks(now), open);
            critical = _monitor.Critical;
            if ((!critical || NothingInFlight) && _intakeResumed is not null)
            {
                resume = _intakeResumed;
                _intakeResumed = null;
            }
        }

        resume?.TrySetResult();
        if (critical)
        {
            // Memory is critical: the in-memory result cache goes first (a durable store keeps its copy).
            cache.Memory.Clear();
        }

        foreach (var alert in raised)
        {
            options.OnAlert?.Invoke(alert);
            if (options.Logger is { } logger)
            {
                Logging.EngineLog.AlertRaised(logger, alert);
            }
        }
    }

    /// <summary>Reports that a worker died while it should have been working: an in-process slot
    /// whose loop ended by an exception, a cluster worker whose lease lapsed. Raises the
    /// <c>worker_crash</c> alert (active for <see cref="MonitorOptions.WorkerCrashAlertFor"/> after the
    /// last crash, degrading health), counts it in <c>weft.worker.crashes</c>, and calls
    /// <see cref="WeftOptions.OnAlert"/> the first time each worker crashes in that window. Safe from
    /// any thread; not while holding the gate.</summary>
    public void ReportWorkerCrash(string who, string detail)
    {
        Interlocked.Increment(ref _workerCrashes);
        var now = Time.GetUtcNow();
        string? raised;
        lock (coordinator.Gate)
        {
            raised = _monitor.WorkerCrashed(now, who, detail);
        }

        if (raised is not null)
        {
            options.OnAlert?.Invoke(raised);
            if (options.Logger is { } logger)
            {
                Logging.EngineLog.AlertRaised(logger, raised);
            }
        }
    }

    /// <summary>Under the gate: a task to wait on while memory is critical, else null; throws instead
    /// of waiting when the submitter would rather be told. Intake pauses only while something is in
    /// flight: tasks finishing are what frees the memory a pause waits for, so with none the pause would
    /// never end — a waiting submitter would hang and a server would refuse every run for good (the
    /// working set of an idle process need not fall, and a submission's own plan, built before it asks,
    /// may be what holds the memory: a run of a million tasks on an idle engine).</summary>
    public Task? IntakePaused(bool wait)
    {
        if (!_monitor.Critical || NothingInFlight)
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

    // Under the gate: no admitted run has a task left to finish.
    private bool NothingInFlight => coordinator.Scheduler.Counters.Outstanding == 0;

    protected override Task StoppedAsync()
    {
        TaskCompletionSource? waiting;
        lock (coordinator.Gate)
        {
            waiting = _intakeResumed;
            _intakeResumed = null;
        }

        waiting?.TrySetException(new ObjectDisposedException(nameof(WeftEngine)));
        return Task.CompletedTask;
    }

    // Under the gate. Runs with nothing running cost one check each, so this stays cheap with many
    // runs kept; it happens once per sample, not per task.
    private List<SlowTask> SlowTasks(DateTimeOffset now)
    {
        var margin = options.Monitor.SlowTaskMargin;
        List<SlowTask> slow = [];
        foreach (var run in coordinator.Runs.Values)
        {
            if (run.RunningCount == 0 || run.Plan.Durations is not { } durations)
            {
                continue;
            }

            foreach (var (task, startedAt) in run.Running())
            {
                var running = now - startedAt;
                if (durations.Usual(run.DefIndex(task)) is { } usual && running > usual + margin)
                {
                    slow.Add(new SlowTask(run.RunId, run.TaskId(task), running, usual));
                }
            }
        }

        return slow;
    }
}
