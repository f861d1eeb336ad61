using System.Diagnostics;
using System.Globalization;
using Weft.Definitions;

namespace Weft.Bench;

/// <summary>Measures the workloads of WORKLOADS.md through the public engine API, the same path a
/// user's run takes. Each workload gets its own engine, untimed warm-up runs of the same kind (JIT,
/// pools), then <c>runs</c> timed runs whose median is reported.</summary>
internal sealed partial class BenchRunner
{
    /// <summary>Untimed runs before timing, at least: the figures describe a warm engine, as
    /// WORKLOADS.md asks (see <see cref="WarmUpThenMeasureAsync"/>).</summary>
    public const int WarmUpRuns = 3;

    /// <summary>Warm-up runs in a row without JIT work that end the warm-up.</summary>
    public const int QuietRuns = 3;

    /// <summary>How long the JIT must also have compiled nothing before the warm-up ends. Tiered
    /// compilation starts counting calls only after 100 ms without new JIT work (the runtime's
    /// <c>CallCountingDelayMs</c>, which weft keeps for a fast start): runs of a few microseconds are
    /// "quiet" three times over inside that delay, before anything was promoted.</summary>
    public static readonly TimeSpan QuietTime = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest warm-up while the JIT is still compiling.</summary>
    public static readonly TimeSpan MaxWarmUp = TimeSpan.FromSeconds(15);

    private const string StoreMemory = "memory";

    private readonly string _store;
    private readonly int _runs;
    private readonly TextWriter _progress;
    private readonly ClusterBench? _cluster;

    /// <summary>Started on each workload's engine and stopped before it (<c>weft bench --metrics</c>: the
    /// server's metrics listening, so the figures include what exposing them costs); null for none.</summary>
    public Func<WeftEngine, IDisposable>? Observe { get; init; }

    /// <summary>Worker slots of each workload's in-process engine (<c>weft bench --slots</c>; MIXED sizes
    /// its own pools, a cluster's tasks run on worker processes): one per core unless set.</summary>
    public int Slots { get; init; } = Environment.ProcessorCount;

    public BenchRunner(string store, int runs, TextWriter progress, ClusterBench? cluster = null)
    {
        if (cluster is null && store != StoreMemory && !(store.StartsWith("sqlite:", StringComparison.Ordinal) && store.Length > "sqlite:".Length))
        {
            throw new NotSupportedException($"bench store '{store}' is not supported (supported: memory, sqlite:PATH, postgres://…, sqlite:PATH with --transport nats://…)");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        _cluster = cluster;
        _store = cluster is null ? store : cluster.StoreName;
        _runs = runs;
        _progress = progress;
    }

    /// <summary>W1, W2 and W3: one run of the whole graph per measurement, one slot per core
    /// (no-op tasks are CPU-bound, more slots would only measure contention).
    /// <paramref name="measureHop"/> adds W2's hop: (start of the last task − start of the first) / (n − 1).</summary>
    public async Task<BenchResult> RunGraphAsync(string workload, WorkflowDefinition definition, bool measureHop, CancellationToken ct, int? taskCount = null)
    {
        await using var bench = await BenchEngine.CreateAsync(_store, Slots, _cluster, ct, Observe);
        var engine = bench.Engine;
        // In-process slots only: a cluster scheduler has none (its workers are other processes).
        var measureImbalance = workload == "W1" && !bench.IsCluster;

        // W1 in memory: the bare thread pool's bound, measured after each of its runs, so both see the
        // machine as it is at that moment.
        var bare = workload == "W1" && _store == StoreMemory ? new BareBound(definition.Tasks.Count) : null;

        // Warm-up runs are measured exactly as timed ones and thrown away, so that the timed runs
        // execute no code the warm-up has not already brought to its final tier.
        var before = default(StoreCounts);
        var (warmUps, runs) = await WarmUpThenMeasureAsync(
            async () =>
            {
                var run = await MeasureGraphAsync(engine, workload, definition, measureHop, measureImbalance, ct);
                if (bare is not null)
                {
                    CollectPreviousRuns();
                    run = run with { BareSeconds = await bare.MeasureAsync() };
                }

                return run;
            },
            _runs,
            async () => before = await bench.CountsAsync(ct));
        _progress.WriteLine($"{workload}: warm-up ({warmUps} runs)");

        // Reported after the timed runs: formatting between them would give the JIT's background
        // thread new work while the next run is timed.
        for (var i = 0; i < _runs; i++)
        {
            Report(workload, i, runs[i].Seconds);
            if (measureImbalance)
            {
                _progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{workload}: tasks per slot {string.Join(" / ", runs[i].PerSlot)}, {runs[i].ImbalancePercent:F1}% imbalance"));
            }
        }

        var seconds = runs.Select(r => r.Seconds).ToArray();
        var hops = runs.Select(r => r.HopUs).ToArray();
        var imbalances = runs.Select(r => r.ImbalancePercent).ToArray();
        var median = Median(seconds);
        var tasks = taskCount ?? definition.Tasks.Count;
        var (commits, statements, writes) = await bench.CountsAsync(ct) - before;
        var bareRate = bare is null ? (double?)null : tasks / Median([.. runs.Select(r => r.BareSeconds)]);
        return new BenchResult(workload, _store, tasks, median, tasks / median)
        {
            BareRate = bareRate,
            OfBarePercent = bareRate is { } b ? Math.Round(100 * tasks / median / b, 1) : null,
            HopUs = measureHop ? Median(hops) : null,
            ImbalancePercent = measureImbalance ? Median(imbalances) : null,
            CommitsPerTask = bench.IsSql ? commits / (double)(tasks * _runs) : null,
            WriteCommitsPerTask = bench.CountsDatabaseCommits ? writes / (double)(tasks * _runs) : null,
            StatementsPerTask = bench.IsSql ? statements / (double)(tasks * _runs) : null,
        };
    }

    /// <summary>One measured run of a graph workload.</summary>
    private readonly record struct GraphRun(double Seconds, double HopUs, double ImbalancePercent, long[] PerSlot)
    {
        /// <summary>W1 in memory: the <see cref="BareBound"/> run measured after it.</summary>
        public double BareSeconds { get; init; }
    }

    /// <summary>Submits one run and waits for it: wall time from submit to end, W2's hop, and the
    /// tasks each slot ran (W1's imbalance).</summary>
    private static async Task<GraphRun> MeasureGraphAsync(WeftEngine engine, string workload, WorkflowDefinition definition, bool measureHop, bool measureImbalance, CancellationToken ct)
    {
        CollectPreviousRuns();
        var done = measureImbalance ? engine.SlotCompletions() : [];
        var start = Stopwatch.GetTimestamp();
        var handle = await engine.SubmitAsync(definition, cancellationToken: ct);
        var snapshot = await handle.WaitAsync(ct);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;

        EnsureSucceeded(workload, definition, snapshot);
        var hop = measureHop ? HopMicroseconds(snapshot) : 0;
        if (!measureImbalance)
        {
            return new GraphRun(seconds, hop, 0, []);
        }

        var after = engine.SlotCompletions();
        var imbalance = ImbalancePercent(done, after); // throws if the slots changed: then done and after differ in length
        var perSlot = new long[after.Length];
        for (var s = 0; s < after.Length; s++)
        {
            perSlot[s] = after[s] - done[s];
        }

        return new GraphRun(seconds, hop, imbalance, perSlot);
    }

    /// <summary>Collects what earlier runs left (as BenchmarkDotNet does between iterations), outside
    /// the timing. Without it, the background GC of the last runs' garbage ran now and then during a
    /// timed run and took a core from a worker slot: on 2 cores that alone made one W1 slot run as
    /// few as 342 of 20,000 tasks. A run's own collections still happen inside its timing.</summary>
    private static void CollectPreviousRuns()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>W4: <see cref="Workloads.W4RunsPerBatch"/> runs of one shape submitted at once,
    /// timed until all have finished; rate is workflows per second.</summary>
    public async Task<BenchResult> RunIoAsync(int n, CancellationToken ct)
    {
        var workload = "W4-" + n.ToString(CultureInfo.InvariantCulture);
        var definition = Workloads.W4(n);

        // The shape is never more than two tasks wide, so two slots per run mean no task waits for one.
        await using var bench = await BenchEngine.CreateAsync(_store, Math.Min(4096, Workloads.W4RunsPerBatch * 2), _cluster, ct, Observe);
        var engine = bench.Engine;
        // Warmed up as W1-W3 are (until the JIT is quiet), not by one batch: a batch takes 50-200 ms, so
        // methods promoted after the runtime's call-counting delay were compiled during the timed batches.
        var (warmUps, seconds) = await WarmUpThenMeasureAsync(() => RunBatchAsync(engine, workload, definition, ct), _runs, () => Task.CompletedTask);
        _progress.WriteLine($"{workload}: warm-up ({warmUps} batches)");
        for (var i = 0; i < _runs; i++)
        {
            Report(workload, i, seconds[i]);
        }

        var median = Median(seconds);
        var delay = Workloads.W4TaskDelay.TotalSeconds;
        return new BenchResult(workload, _store, Workloads.W4RunsPerBatch * n, median, Workloads.W4RunsPerBatch / median)
        {
            IdealSeconds = Workloads.W4CriticalPathTasks(n) * delay,
            BaselineSeconds = Workloads.W4RunsPerBatch * n * delay,
        };
    }

    /// <summary>The memory check: one run of <see cref="Workloads.MemoryCheckTasks"/> independent
    /// tasks, then the process's peak resident memory. The peak covers the whole process, so run
    /// it alone (or last) to read it as this run's.</summary>
    public async Task<BenchResult> RunMemoryCheckAsync(CancellationToken ct)
    {
        const string Workload = "MEM";
        var definition = Workloads.Flat(Workloads.MemoryCheckTasks, "bench-mem");
        await using var bench = await BenchEngine.CreateAsync(_store, Slots, _cluster, ct, Observe);
        var engine = bench.Engine;

        var start = Stopwatch.GetTimestamp();
        var handle = await engine.SubmitAsync(definition, cancellationToken: ct);
        var snapshot = await handle.WaitAsync(ct);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        EnsureSucceeded(Workload, definition, snapshot);
        Report(Workload, 0, seconds, of: 1);

        return new BenchResult(Workload, _store, definition.Tasks.Count, seconds, definition.Tasks.Count / seconds)
        {
            PeakMb = MachineInfo.PeakMemoryMb(),
        };
    }

    /// <summary>MIXED: the same phased run on fixed pools of <see cref="MixedWorkload.FixedSizes"/> slots
    /// and on the adaptive pool, each measured <c>runs</c> times after one warm-up run, the
    /// configurations alternating run by run so that a change in the machine's load touches them all
    /// alike. One result per configuration ("MIXED/fixed-4", "MIXED/adaptive").</summary>
    public async Task<IReadOnlyList<BenchResult>> RunMixedAsync(CancellationToken ct)
    {
        if (_cluster is not null)
        {
            throw new NotSupportedException("MIXED compares in-process pools: run it with --store memory or sqlite:PATH");
        }

        var definition = MixedWorkload.Definition();
        var configs = MixedWorkload.FixedSizes
            .Select(n => (Name: "MIXED/fixed-" + n.ToString(CultureInfo.InvariantCulture), Pool: (Action<WeftOptions>)(o => o.Workers = n)))
            .Append(("MIXED/adaptive", o => MixedWorkload.Adaptive(o.Pool)))
            .ToArray();
        var seconds = configs.Select(_ => new double[_runs]).ToArray();
        for (var i = -1; i < _runs; i++)
        {
            for (var c = 0; c < configs.Length; c++)
            {
                await using var bench = await BenchEngine.CreateAsync(_store, configs[c].Pool, null, ct, Observe);
                MixedWorkload.Register(bench.Engine);
                CollectPreviousRuns();
                var start = Stopwatch.GetTimestamp();
                var handle = await bench.Engine.SubmitAsync(definition, cancellationToken: ct);
                var snapshot = await handle.WaitAsync(ct);
                var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
                EnsureSucceeded(configs[c].Name, definition, snapshot);
                if (i < 0)
                {
                    _progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{configs[c].Name}: warm-up {elapsed:F2} s"));
                    continue;
                }

                seconds[c][i] = elapsed;
                Report(configs[c].Name, i, elapsed);
            }
        }

        return [.. configs.Select((c, k) => new BenchResult(c.Name, _store, definition.Tasks.Count, Median(seconds[k]), definition.Tasks.Count / Median(seconds[k])))];
    }

    private async Task<double> RunBatchAsync(WeftEngine engine, string workload, WorkflowDefinition definition, CancellationToken ct)
    {
        var submits = new Task<RunSnapshot>[Workloads.W4RunsPerBatch];
        CollectPreviousRuns();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < submits.Length; i++)
        {
            submits[i] = SubmitThenWaitAsync(engine, definition, ct);
        }

        var snapshots = await Task.WhenAll(submits);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        foreach (var snapshot in snapshots)
        {
            EnsureSucceeded(workload, definition, snapshot);
        }

        return seconds;
    }

    private static async Task<RunSnapshot> SubmitThenWaitAsync(WeftEngine engine, WorkflowDefinition definition, CancellationToken ct)
    {
        var handle = await engine.SubmitAsync(definition, cancellationToken: ct);
        return await handle.WaitAsync(ct);
    }

    /// <summary>Warms up, then makes <paramref name="timed"/> timed runs, all through one call of
    /// <paramref name="once"/> in one loop. The warm-up runs <paramref name="once"/> at least
    /// <see cref="WarmUpRuns"/> times, then until <see cref="QuietRuns"/> runs in a row, and
    /// <see cref="QuietTime"/>, leave the JIT with nothing to compile, for at most <see cref="MaxWarmUp"/>: tiered compilation promotes a
    /// method after 30 calls, through an instrumented tier, on a background thread, so methods called
    /// once per run (submit, the run's snapshot) are promoted only after dozens of runs, and a run
    /// timed while that thread still compiles measures it taking a core from the engine. The same
    /// loop for both matters too: when the first timed run was awaited from another method, the
    /// glue of that await was JIT-compiled during that run, on the thread about to run a worker
    /// slot, which then started 0.4–0.5 ms late (W1's first timed run was 7–20 % imbalanced every
    /// time). <paramref name="between"/> runs once after the warm-up, before the first timed run.</summary>
    internal static async Task<(int WarmUps, T[] Timed)> WarmUpThenMeasureAsync<T>(Func<Task<T>> once, int timed, Func<Task> between)
    {
        var started = Stopwatch.GetTimestamp();
        var lastCompiled = started;
        var results = new T[timed];
        var warmUps = 0;
        var quiet = 0;
        var measured = -1; // -1 while warming up
        while (true)
        {
            var settled = quiet >= QuietRuns && Stopwatch.GetElapsedTime(lastCompiled) >= QuietTime;
            if (measured < 0 && warmUps >= WarmUpRuns && (settled || Stopwatch.GetElapsedTime(started) >= MaxWarmUp))
            {
                await between();
                measured = 0;
            }

            if (measured >= timed)
            {
                return (warmUps, results);
            }

            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            var result = await once();
            if (measured >= 0)
            {
                results[measured++] = result;
                continue;
            }

            warmUps++;
            if (System.Runtime.JitInfo.GetCompiledMethodCount() == compiled)
            {
                quiet++;
            }
            else
            {
                quiet = 0;
                lastCompiled = Stopwatch.GetTimestamp();
            }
        }
    }

    /// <summary>A figure from a run that did not do all its work would be a lie: stop instead.</summary>
    internal static void EnsureSucceeded(string workload, WorkflowDefinition definition, RunSnapshot snapshot)
    {
        if (snapshot.State != RunState.Succeeded)
        {
            var failed = snapshot.Tasks.FirstOrDefault(t => t.State != TaskState.Succeeded);
            var detail = failed is null ? "" : $"; task {failed.TaskId} is {failed.State.ToName()}: {failed.Error}";
            throw new InvalidOperationException($"{workload}: run {snapshot.RunId} ended {snapshot.State.ToName()}, expected succeeded{detail}");
        }

        // A map task's instances are tasks of the run beyond the definition's.
        var succeeded = snapshot.Tasks.Count(t => t.State == TaskState.Succeeded);
        var expected = Math.Max(definition.Tasks.Count, snapshot.Tasks.Count);
        if (succeeded != expected)
        {
            throw new InvalidOperationException(
                $"{workload}: run {snapshot.RunId} succeeded with {succeeded} of {expected} tasks succeeded");
        }
    }

    private static double HopMicroseconds(RunSnapshot snapshot)
    {
        var first = snapshot.Tasks[0];
        var last = snapshot.Tasks[^1];
        if (first.StartedAt is not { } firstStart || last.StartedAt is not { } lastStart)
        {
            throw new InvalidOperationException($"W2: run {snapshot.RunId} has no start time for {first.TaskId} or {last.TaskId}");
        }

        return (lastStart - firstStart).TotalMicroseconds / (snapshot.Tasks.Count - 1);
    }

    /// <summary>(max − min) / mean of the tasks each slot ran in one run, in percent. The bench's pool
    /// is fixed, so the slots before and after are the same ones.</summary>
    internal static double ImbalancePercent(long[] before, long[] after)
    {
        if (before.Length != after.Length || after.Length == 0)
        {
            throw new InvalidOperationException("W1: the worker slots changed during a run; imbalance is undefined");
        }

        var ran = after.Select((n, i) => (double)(n - before[i])).ToArray();
        var mean = ran.Average();
        return mean == 0 ? 0 : (ran.Max() - ran.Min()) / mean * 100;
    }

    private void Report(string workload, int run, double seconds, int? of = null) =>
        _progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{workload}: run {run + 1}/{of ?? _runs} {seconds:F3} s"));

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
