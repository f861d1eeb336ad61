namespace Weft.Bench;

/// <summary>What <c>weft bench</c> calls: picks the workloads, runs them in a fixed order and
/// returns one result per measured workload (W4 gives three: W4-5, W4-15, W4-30).</summary>
internal static class BenchCommandRunner
{
    /// <summary>Workload names accepted, case-insensitively; "all" is every one of them in this order.
    /// MEM (100,000-task memory check) comes last so the process peak it reports is its own.</summary>
    public static readonly IReadOnlyList<string> Names = ["W1", "W2", "W3", "W4", "MAP10K", "FLAT10K", "MEM"];

    /// <summary>What "all" runs: the fixed workloads of WORKLOADS.md. MAP10K and FLAT10K (a map task over
    /// 10,000 elements against 10,000 static tasks) run when named.</summary>
    public static readonly IReadOnlyList<string> AllNames = ["W1", "W2", "W3", "W4", "MEM"];

    /// <summary>Workloads run only when named (not part of "all"): MIXED compares pool configurations
    /// and takes minutes; MANY submits 10,000 runs; MEM1M (last: it reports the process's peak memory)
    /// runs a million tasks.</summary>
    public static readonly IReadOnlyList<string> Extra = ["MIXED", "MANY", "MEM1M"];

    /// <summary>Timed runs per workload when the user gives none; WORKLOADS.md asks for at least 5.</summary>
    public const int DefaultRuns = 5;

    /// <summary>Runs the named workloads. Throws <see cref="ArgumentException"/> for an unknown
    /// workload or run count, <see cref="NotSupportedException"/> for an unsupported store and
    /// <see cref="BenchInputException"/> for a store and transport that cannot run together (or a NATS
    /// server a cluster uses), before anything runs, so the CLI can answer with exit code 2.
    /// <paramref name="transport"/>: a NATS cluster session over <c>sqlite:PATH</c>; null for the store's own.
    /// <paramref name="observe"/>: started on each workload's engine (<c>--metrics</c>); null for none.
    /// <paramref name="slots"/>: the in-process engine's worker slots (<c>--slots</c>); null for one per core.</summary>
    public static async Task<IReadOnlyList<BenchResult>> RunAsync(
        IReadOnlyList<string> workloads,
        string store,
        int runs,
        TextWriter progress,
        CancellationToken ct,
        WorkerLauncher? launcher = null,
        Nats.NatsTransport? transport = null,
        Func<WeftEngine, IDisposable>? observe = null,
        int? slots = null)
    {
        var selected = Select(workloads);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        if (transport is null && !ClusterBench.IsPostgres(store))
        {
            return await RunAsync(selected, new BenchRunner(store, runs, progress) { Observe = observe, Slots = slots ?? Environment.ProcessorCount }, progress, [], ct);
        }

        if (launcher is null)
        {
            throw new NotSupportedException("a cluster bench starts weft worker processes; run it from the weft CLI");
        }

        progress.WriteLine($"machine: {MachineInfo.Describe()}");
        await using var cluster = await ClusterBench.StartAsync(store, transport, launcher, progress, ct);
        BenchResult start = new("START", cluster.StoreName, 0, cluster.FirstClaimMs.Max() / 1000, 0) { FirstClaimMs = cluster.FirstClaimMs };
        var results = await RunAsync(selected, new BenchRunner(store, runs, progress, cluster) { Observe = observe }, progress, [start], ct);
        return [.. results.Select(r => r with { Transport = cluster.TransportName })];
    }

    private static async Task<IReadOnlyList<BenchResult>> RunAsync(
        IReadOnlyList<string> selected, BenchRunner runner, TextWriter progress, IReadOnlyList<BenchResult> first, CancellationToken ct)
    {
        if (first.Count == 0)
        {
            progress.WriteLine($"machine: {MachineInfo.Describe()}");
        }

        var results = new List<BenchResult>(first);
        foreach (var name in selected)
        {
            ct.ThrowIfCancellationRequested();
            switch (name)
            {
                case "W1":
                    results.Add(await runner.RunGraphAsync("W1", Workloads.W1(), measureHop: false, ct));
                    break;
                case "W2":
                    results.Add(await runner.RunGraphAsync("W2", Workloads.W2(), measureHop: true, ct));
                    break;
                case "W3":
                    results.Add(await runner.RunGraphAsync("W3", CheckedW3(), measureHop: false, ct));
                    break;
                case "W4":
                    foreach (var n in Workloads.W4Sizes)
                    {
                        results.Add(await runner.RunIoAsync(n, ct));
                    }

                    break;
                case "MAP10K":
                    results.Add(await runner.RunGraphAsync("MAP10K", Workloads.Map10K(), measureHop: false, ct, Workloads.MapElements));
                    break;
                case "FLAT10K":
                    results.Add(await runner.RunGraphAsync("FLAT10K", Workloads.Flat(Workloads.MapElements, "bench-flat10k"), measureHop: false, ct));
                    break;
                case "MEM":
                    results.Add(await runner.RunMemoryCheckAsync(ct));
                    break;
                case "MIXED":
                    results.AddRange(await runner.RunMixedAsync(ct));
                    break;
                case "MANY":
                    results.AddRange(await runner.RunManyAsync(ct));
                    break;
                case "MEM1M":
                    results.AddRange(await runner.RunMillionAsync(ct));
                    break;
            }
        }

        return results;
    }

    /// <summary>Canonical names in the fixed order, duplicates dropped.</summary>
    internal static IReadOnlyList<string> Select(IReadOnlyList<string> workloads)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in workloads)
        {
            var name = raw.Trim().ToUpperInvariant();
            if (name == "ALL")
            {
                wanted.UnionWith(AllNames);
            }
            else if (Names.Contains(name) || Extra.Contains(name))
            {
                wanted.Add(name);
            }
            else
            {
                throw new ArgumentException($"unknown workload '{raw}' (expected one of {string.Join(", ", Names.Concat(Extra))}, or all)", nameof(workloads));
            }
        }

        if (wanted.Count == 0)
        {
            throw new ArgumentException("no workload given", nameof(workloads));
        }

        return Names.Concat(Extra).Where(wanted.Contains).ToArray();
    }

    /// <summary>W3 must be exactly the graph other engines are measured on; a different graph
    /// would make every comparison meaningless.</summary>
    private static Definitions.WorkflowDefinition CheckedW3()
    {
        var definition = Workloads.W3();
        var fingerprint = Workloads.Fingerprint(definition);
        if (fingerprint != Workloads.W3ExpectedFingerprint)
        {
            throw new InvalidOperationException($"W3 fingerprint is {fingerprint}, expected {Workloads.W3ExpectedFingerprint}");
        }

        return definition;
    }
}
