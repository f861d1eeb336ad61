using System.Diagnostics;
using System.Globalization;
using Weft.Definitions;

namespace Weft.Bench;

/// <summary>The scale workloads: a run of a million tasks (MEM1M) and many small runs at once (MANY).</summary>
internal sealed partial class BenchRunner
{
    public const int MillionTasks = 1_000_000;
    public const int ManyRuns = 10_000;
    public const int ManyRunTasks = 5;

    /// <summary>MEM1M: one run of 100,000 independent tasks, then one of 1,000,000, on one engine, with
    /// the process's peak resident memory after both (run it alone: the peak is the process's). Gives
    /// "MEM1M/100k" and "MEM1M" (with <see cref="BenchResult.PeakMb"/>); the second's time over the
    /// first's is how the cost grows with the run's size.</summary>
    public async Task<IReadOnlyList<BenchResult>> RunMillionAsync(CancellationToken ct)
    {
        // The default queue limit (100,000) refuses a run of a million tasks, as it would a user's: raised
        // as a user would (queueLimit), the one setting that differs from the other workloads.
        var workers = Slots;
        await using var bench = await BenchEngine.CreateAsync(_store, o => (o.Workers, o.QueueLimit) = (workers, MillionTasks), _cluster, ct, Observe);
        var results = new List<BenchResult>();
        foreach (var (name, n) in new[] { ("MEM1M/100k", Workloads.MemoryCheckTasks), ("MEM1M", MillionTasks) })
        {
            var definition = Workloads.Flat(n, "bench-" + n.ToString(CultureInfo.InvariantCulture));
            CollectPreviousRuns();
            var before = await bench.CountsAsync(ct);
            var start = Stopwatch.GetTimestamp();
            var snapshot = await (await bench.Engine.SubmitAsync(definition, cancellationToken: ct)).WaitAsync(ct);
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            EnsureSucceeded(name, definition, snapshot);
            Report(name, 0, seconds, of: 1);
            var (commits, statements, _) = await bench.CountsAsync(ct) - before;
            results.Add(new BenchResult(name, _store, n, seconds, n / seconds)
            {
                PeakMb = MachineInfo.PeakMemoryMb(),
                CommitsPerTask = bench.IsSql ? commits / (double)n : null,
                StatementsPerTask = bench.IsSql ? statements / (double)n : null,
            });
        }

        return results;
    }

    /// <summary>MANY: <see cref="ManyRuns"/> runs of <see cref="ManyRunTasks"/> independent tasks submitted
    /// at once (all submits started before the first is awaited), and one run of as many tasks in all, alternately <c>runs</c> times after
    /// warm-up pairs (<see cref="WarmUpThenMeasureAsync"/>), on one engine. Gives "MANY" and "MANY/one-run"; their rates compare the cost per task of
    /// many small runs with that of one big one.</summary>
    public async Task<IReadOnlyList<BenchResult>> RunManyAsync(CancellationToken ct)
    {
        var total = ManyRuns * ManyRunTasks;
        var small = Workloads.Flat(ManyRunTasks, "bench-many");
        var big = Workloads.Flat(total, "bench-many-one");
        await using var bench = await BenchEngine.CreateAsync(_store, Slots, _cluster, ct, Observe);
        var engine = bench.Engine;
        // Warmed up as W1-W4 are, until the JIT is quiet (one pair of each was not enough for code promoted
        // after the runtime's call-counting delay), then each timed measurement is one pair.
        var (warmUps, pairs) = await WarmUpThenMeasureAsync(() => ManyThenOneAsync(engine, small, big, ct), _runs, () => Task.CompletedTask);
        _progress.WriteLine($"MANY: warm-up ({warmUps} pairs)");
        var many = pairs.Select(p => p.Many).ToArray();
        var one = pairs.Select(p => p.One).ToArray();
        for (var i = 0; i < _runs; i++)
        {
            Report("MANY", i, many[i]);
            Report("MANY/one-run", i, one[i]);
        }

        return
        [
            new BenchResult("MANY", _store, total, Median(many), total / Median(many)),
            new BenchResult("MANY/one-run", _store, total, Median(one), total / Median(one)),
        ];
    }

    // One measurement of MANY: the small runs submitted at once, then the one big run; seconds of each.
    private static async Task<(double Many, double One)> ManyThenOneAsync(WeftEngine engine, WorkflowDefinition small, WorkflowDefinition big, CancellationToken ct)
    {
        CollectPreviousRuns();
        var start = Stopwatch.GetTimestamp();
        // Submitted at once, as many clients of a server would: no submit waits for the one before.
        var submits = new Task<RunHandle>[ManyRuns];
        for (var r = 0; r < submits.Length; r++)
        {
            submits[r] = engine.SubmitAsync(small, cancellationToken: ct).AsTask();
        }

        var waits = new Task<RunSnapshot>[ManyRuns];
        for (var r = 0; r < waits.Length; r++)
        {
            waits[r] = (await submits[r]).WaitAsync(ct);
        }

        foreach (var snapshot in await Task.WhenAll(waits))
        {
            EnsureSucceeded("MANY", small, snapshot);
        }

        var manySeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        CollectPreviousRuns();
        start = Stopwatch.GetTimestamp();
        var whole = await (await engine.SubmitAsync(big, cancellationToken: ct)).WaitAsync(ct);
        var oneSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        EnsureSucceeded("MANY/one-run", big, whole);
        return (manySeconds, oneSeconds);
    }
}
