using Weft.Coordination;
using Weft.Services;

namespace Weft.WorkerPool;

/// <summary>Evaluates the pool's scaling rules (<see cref="ScalingDecider"/>) every
/// <see cref="PoolOptions.EvaluateEvery"/> on the engine's clock and grows or shrinks the local slot
/// pool. Not started for a fixed pool.</summary>
internal sealed class PoolScaler(Coordinator coordinator, LocalSlotPool pool, PoolOptions options, TimeProvider time, Func<double?> cpu)
    : TimerService(time)
{
    // The machine's load between evaluations, for an adaptive pool; read outside the gate (a file read).
    // Evaluations come one at a time (the timer's, or a test's).
    private Monitoring.SystemCpuMeter? _machine;

    private DateTimeOffset? _lastScaleAt; // gate
    private bool _lastGrew; // gate
    private DateTimeOffset? _idleSince; // gate

    public override string Name => "pool scaler";

    protected override TimeSpan Period => options.EvaluateEvery;

    protected override bool Enabled => !options.IsFixed;

    protected override Task Tick()
    {
        Evaluate();
        return Task.CompletedTask;
    }

    /// <summary>Where an adaptive pool reads the machine's CPU times; tests substitute readings.</summary>
    internal Func<Monitoring.CpuTimes?>? MachineReader { get; init; }

    /// <summary>Evaluates the scaling rules once.</summary>
    public void Evaluate()
    {
        if (options.Adaptive)
        {
            _machine ??= new Monitoring.SystemCpuMeter(MachineReader ?? Monitoring.CpuTimes.Read);
        }

        var machine = _machine?.Next();
        PoolEvent? decided;
        int wake;
        lock (coordinator.Gate)
        {
            if (coordinator.Stopping || coordinator.Draining)
            {
                return;
            }

            var now = Time.GetUtcNow();
            int live = 0, busy = 0, queued = coordinator.Scheduler.ReadyCount;
            foreach (var slot in pool.Slots)
            {
                queued += slot.Count;
                if (!slot.Retiring)
                {
                    live++;
                    busy += slot.Busy ? 1 : 0;
                }
            }

            _idleSince = busy == 0 && queued == 0 ? _idleSince ?? now : null;
            var decision = ScalingDecider.Decide(options, new PoolSignals(now, queued, busy, live, cpu(), _lastScaleAt, _lastGrew, _idleSince, machine, Environment.ProcessorCount));
            if (decision.Delta == 0)
            {
                return;
            }

            // Parked slots wake to see whether they were told to go; the others park again.
            decided = pool.Resize(decision.Delta, live, now, decision.Reason, out wake);
            _lastScaleAt = now;
            _lastGrew = decision.Delta > 0;
        }

        if (wake > 0)
        {
            pool.Wake(wake);
        }

        pool.Publish(decided);
    }
}
