using System.Diagnostics;
using Weft.Definitions;

namespace Weft;

public sealed partial class WeftEngine
{
    /// <summary>Health, slots, queue depth by priority, throughput over the last minute, memory,
    /// store health. Cheap enough to poll every second.</summary>
    public EngineStatus GetStatus()
    {
        var now = _time.GetUtcNow();
        EngineStatus status;
        var unhealthy = false;
        lock (_coord.Gate)
        {
            var c = _coord.Scheduler.Counters;
            status = new EngineStatus
            {
                At = now,
                Health = HealthState.Healthy,
                SlotsBusy = c.Running,
                SlotsIdle = Math.Max(0, (_pool?.LiveSlots ?? 0) - c.Running),
                Pool = _dispatcher.Status(),
                QueueDepth = Enum.GetValues<TaskPriority>().ToDictionary(p => p, _coord.Scheduler.QueuedOf),
                ActiveRuns = _coord.Runs.Values.Count(r => !r.State.IsFinal()),
                ThroughputPerSecond = c.Throughput.PerSecond(now),
                TasksSucceeded = c.TasksSucceeded,
                TasksFailed = c.TasksFailed,
                RunsFinished = c.RunsFinished,
                Breakers = _coord.Gates.Breakers.ToDictionary(b => b.Key, b => b.StateName),
                QueueWait = c.QueueWait.Read(),
                RunTime = c.RunTime.Read(),
                Alerts = _monitor.AlertsAt(now),
                CpuBusy = _monitor.MachineLoad?.Busy,
                CpuIoWait = _monitor.MachineLoad?.IoWait,
                ProcessCpu = _monitor.CpuFraction(),
            };
            if (_monitor.Critical)
            {
                unhealthy = true;
            }
        }

        using var process = Process.GetCurrentProcess();
        var reasons = new List<string>();
        if (_coord.Journal?.Failure is { } failure)
        {
            // Nothing this engine does is recorded any more: unhealthy, not merely degraded.
            unhealthy = true;
            reasons.Add($"the engine stopped recording runs after the store failed: {failure.Message}");
        }
        else if (StoreError is { } storeError)
        {
            reasons.Add($"the store is failing: {storeError}");
        }

        foreach (var (key, state) in status.Breakers.Where(b => b.Value != "closed"))
        {
            reasons.Add($"circuit breaker '{key}' is {state.Replace('_', '-')}");
        }

        reasons.AddRange(status.Alerts.Where(a => !a.StartsWith("circuit breakers", StringComparison.Ordinal)));

        return status with
        {
            Health = unhealthy ? HealthState.Unhealthy : reasons.Count == 0 && status.Alerts.Count == 0 ? HealthState.Healthy : HealthState.Degraded,
            Reasons = reasons,
            StoreError = StoreError,
            WorkingSetBytes = process.WorkingSet64,
            GcHeapBytes = GC.GetTotalMemory(false),
            CacheHitRate = _cache.Results.Stats().HitRate,
            ConnectionPools = [.. _handlers.Values.Distinct().OfType<IConnectionPoolReporter>().SelectMany(h => h.ConnectionPools())],
        };
    }
}
