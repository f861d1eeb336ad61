using System.Diagnostics.Metrics;
using Weft.Definitions;

namespace Weft.Monitoring;

/// <summary>The <c>Weft</c> meter. Two sets of instruments, both kept:
/// <list type="bullet">
/// <item>Names in the OpenTelemetry style (dotted, with units, tags <c>weft.workflow</c>, <c>weft.kind</c>,
/// <c>weft.outcome</c>…): counters of finished tasks, histograms of attempt duration and queue time,
/// which the scheduler records as tasks move (only while a listener enables them), and gauges of the
/// queue, slots, workers and runs (docs/API.md, "Metrics").</item>
/// <item>The first names (<c>weft_tasks_succeeded_total</c>, <c>weft_queue_depth</c>…), which users'
/// dashboards query; they are read from <see cref="WeftEngine.GetStatus"/> when a collector asks.</item>
/// </list>
/// The observable ones share one status snapshot per collection.</summary>
public sealed class WeftMetrics : IDisposable
{
    /// <summary>The meter and activity source name.</summary>
    public const string Name = "Weft";

    // A collection reads every instrument one after another; one snapshot serves them all.
    private static readonly TimeSpan SnapshotReuse = TimeSpan.FromMilliseconds(250);

    private readonly WeftEngine _engine;
    private readonly Meter _meter;
    private readonly TaskInstruments _tasks;
    private readonly Lock _gate = new();
    private EngineStatus? _last;
    private long _lastTaken;

    /// <summary>Creates the meter for <paramref name="engine"/>; dispose it to stop publishing.</summary>
    public WeftMetrics(WeftEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
        _meter = new Meter(Name);
        _meter.CreateObservableCounter("weft_tasks_succeeded_total", () => Status().TasksSucceeded, description: "Task attempts that succeeded since the engine started.");
        _meter.CreateObservableCounter("weft_tasks_failed_total", () => Status().TasksFailed, description: "Task attempts that failed since the engine started.");
        _meter.CreateObservableCounter("weft_runs_finished_total", () => Status().RunsFinished, description: "Runs that reached a final state since the engine started.");
        _meter.CreateObservableGauge("weft_queue_depth", QueueDepth, description: "Tasks waiting for a slot, by priority.");
        _meter.CreateObservableGauge("weft_slots_busy", () => Status().SlotsBusy, description: "Worker slots running a task.");
        _meter.CreateObservableGauge("weft_slots_idle", () => Status().SlotsIdle, description: "Worker slots waiting for work.");
        _meter.CreateObservableGauge("weft_active_runs", () => Status().ActiveRuns, description: "Runs not yet final.");
        _meter.CreateObservableGauge("weft_throughput_per_second", () => Status().ThroughputPerSecond, description: "Task attempts finished per second over the last minute.");
        _meter.CreateObservableCounter("weft.worker.crashes", () => engine.WorkerCrashes, description: "Workers (in-process slots or cluster workers) reported crashed since the engine started.");
        _meter.CreateObservableGauge("weft_working_set_bytes", () => Status().WorkingSetBytes, unit: "By", description: "Working set of the process.");
        _meter.CreateObservableGauge("weft_sql_connections_max", () => Pools(p => p.MaxConnections), description: "Most connections the pool of a named SQL connection holds.");
        _meter.CreateObservableGauge("weft_sql_connections_in_use", () => Pools(p => p.InUse), description: "Connections of a named SQL connection's pool lent to tasks now.");
        _meter.CreateObservableGauge("weft_sql_connections_waiting", () => Pools(p => p.Waiting), description: "Tasks waiting for a connection of a named SQL connection's pool.");
        _meter.CreateObservableCounter("weft_sql_connection_leases_total", () => Pools(p => p.Leases), description: "Tasks that took a connection from a named SQL connection's pool.");
        _meter.CreateObservableCounter("weft_sql_connections_opened_total", () => Pools(p => p.Opened), description: "Connections opened to the database by a named SQL connection's pool (PostgreSQL).");

        // The OpenTelemetry-style names. Counts of things present now are up-down counters (they add up
        // across engines and tags), exported to Prometheus as gauges.
        _meter.CreateObservableUpDownCounter("weft.queue.length", () => QueueDepth("weft.priority"), unit: "{task}", description: "Tasks ready and waiting for a slot, by priority (weft.priority).");
        _meter.CreateObservableUpDownCounter("weft.slots", Slots, unit: "{slot}", description: "Worker slots of this engine, busy (running a task) or idle (weft.state).");
        _meter.CreateObservableUpDownCounter("weft.workers", () => Status().Pool.Slots, unit: "{worker}", description: "Workers of this engine's pool now (it scales between its least and most).");
        _meter.CreateObservableUpDownCounter("weft.workers.max", () => Status().Pool.MaxWorkers, unit: "{worker}", description: "Most workers this engine's pool may have.");
        _meter.CreateObservableUpDownCounter("weft.runs.active", () => Status().ActiveRuns, unit: "{run}", description: "Runs not yet final.");
        _tasks = new TaskInstruments(_meter);
        engine.Counters.Instruments = _tasks;
    }

    /// <summary>This instance's meter, so an exporter can listen to exactly it (several engines in one
    /// process each have their own meter named <c>Weft</c>).</summary>
    public Meter Meter => _meter;

    /// <summary>Disposes the meter; the instruments stop reporting.</summary>
    public void Dispose()
    {
        // The scheduler stops recording into this meter (another WeftMetrics may have replaced it).
        Interlocked.CompareExchange(ref _engine.Counters.Instruments, null, _tasks);
        _meter.Dispose();
    }

    private IEnumerable<Measurement<int>> Slots()
    {
        var status = Status();
        yield return new Measurement<int>(status.SlotsBusy, new KeyValuePair<string, object?>("weft.state", "busy"));
        yield return new Measurement<int>(status.SlotsIdle, new KeyValuePair<string, object?>("weft.state", "idle"));
    }

    private IEnumerable<Measurement<int>> QueueDepth() => QueueDepth("priority");

    private IEnumerable<Measurement<int>> QueueDepth(string tag)
    {
        var depth = Status().QueueDepth;
        foreach (var priority in Enum.GetValues<TaskPriority>())
        {
            yield return new Measurement<int>(
                depth.TryGetValue(priority, out var n) ? n : 0,
                new KeyValuePair<string, object?>(tag, priority.ToString().ToLowerInvariant()));
        }
    }

    private IEnumerable<Measurement<long>> Pools(Func<ConnectionPoolStatus, long?> figure)
    {
        foreach (var pool in Status().ConnectionPools)
        {
            if (figure(pool) is { } value)
            {
                yield return new Measurement<long>(value, new KeyValuePair<string, object?>("connection", pool.Name));
            }
        }
    }

    private EngineStatus Status()
    {
        var now = Environment.TickCount64;
        lock (_gate)
        {
            if (_last is null || now - _lastTaken > SnapshotReuse.TotalMilliseconds)
            {
                _last = _engine.GetStatus();
                _lastTaken = now;
            }

            return _last;
        }
    }
}
