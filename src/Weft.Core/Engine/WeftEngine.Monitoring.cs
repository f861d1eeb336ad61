using Weft.Monitoring;

namespace Weft;

public sealed partial class WeftEngine
{
    private ResourceMonitor? _monitor;
    private ITimer? _monitorTimer;
    private TaskCompletionSource? _intakeResumed;

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
            raised = _monitor.Observe(now, sample, queued, [], open);
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

    // Call under the lock: a task to wait on while memory is critical, else null.
    private Task? IntakePaused()
    {
        if (_monitor is not { Critical: true })
        {
            return null;
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
