using System.Globalization;
using Weft.Definitions;

namespace Weft.Bench;

/// <summary>The fixed benchmark workloads of WORKLOADS.md, built as definition records directly so
/// that neither the loader nor the builder is part of what is measured. Task ids are "t0", "t1", ….</summary>
internal static class Workloads
{
    public const int W1Tasks = 20_000;
    public const int W2Tasks = 2_000;
    public const int W3Levels = 10;
    public const int W3Width = 200;
    public const ulong W3Seed = 42;

    /// <summary>The FNV-1a-64 of W3's edges that WORKLOADS.md fixes.</summary>
    public const string W3ExpectedFingerprint = "6fe3695a342d260b";

    /// <summary>W4's shapes: total tasks per workflow.</summary>
    public static readonly IReadOnlyList<int> W4Sizes = [5, 15, 30];

    public const int W4RunsPerBatch = 100;
    public static readonly TimeSpan W4TaskDelay = TimeSpan.FromMilliseconds(10);

    public const int MemoryCheckTasks = 100_000;

    /// <summary>MAP10K's elements, and FLAT10K's static tasks to compare it with.</summary>
    public const int MapElements = 10_000;

    /// <summary>MAP10K: one no-op task mapped over a literal array of 10,000 numbers, so the run's
    /// 10,000 instances come from one plan of one task (the list is resolved and expanded in each run).</summary>
    public static WorkflowDefinition Map10K()
    {
        var over = "[" + string.Join(',', Enumerable.Range(0, MapElements)) + "]";
        return new WorkflowDefinition("bench-map10k", [Noop(0) with { Map = new MapSpec(over) }]);
    }

    /// <summary>W1: 20,000 independent no-op tasks.</summary>
    public static WorkflowDefinition W1() => Flat(W1Tasks, "bench-w1");

    /// <summary>W2: a chain of 2,000 no-op tasks, task i after task i−1.</summary>
    public static WorkflowDefinition W2()
    {
        var tasks = new TaskDefinition[W2Tasks];
        tasks[0] = Noop(0);
        for (var i = 1; i < W2Tasks; i++)
        {
            tasks[i] = Noop(i) with { DependsOn = [Id(i - 1)] };
        }

        return new WorkflowDefinition("bench-w2", tasks);
    }

    /// <summary>W3: 10 levels × 200 no-op tasks; each task of level L &gt; 0 depends on two distinct
    /// tasks of level L−1 drawn from SplitMix64(42) in the order L = 1..9, i = 0..199.</summary>
    public static WorkflowDefinition W3()
    {
        var tasks = new TaskDefinition[W3Levels * W3Width];
        for (var i = 0; i < W3Width; i++)
        {
            tasks[i] = Noop(i);
        }

        var random = new SplitMix64(W3Seed);
        for (var level = 1; level < W3Levels; level++)
        {
            for (var i = 0; i < W3Width; i++)
            {
                var a = (int)(random.Next() % W3Width);
                int b;
                do
                {
                    b = (int)(random.Next() % W3Width);
                }
                while (b == a);

                var id = (level * W3Width) + i;
                var parentLevel = (level - 1) * W3Width;
                tasks[id] = Noop(id) with { DependsOn = [Id(parentLevel + a), Id(parentLevel + b)] };
            }
        }

        return new WorkflowDefinition("bench-w3", tasks);
    }

    /// <summary>FNV-1a-64 over W3's (child, parent) pairs in definition order, as 16 lowercase hex
    /// digits. Computed from the built records, so it checks the graph the engine is given.</summary>
    public static string W3Fingerprint() => Fingerprint(W3());

    /// <summary>FNV-1a-64 over every (child, parent) pair of a workflow whose ids are "t&lt;number&gt;".</summary>
    public static string Fingerprint(WorkflowDefinition definition)
    {
        var hash = new Fnv1a64();
        foreach (var task in definition.Tasks)
        {
            var child = NumberOf(task.Id);
            foreach (var parent in task.DependsOn)
            {
                hash.Add(child);
                hash.Add(NumberOf(parent));
            }
        }

        return hash.Value.ToString("x16", CultureInfo.InvariantCulture);
    }

    /// <summary>W4 with <paramref name="n"/> tasks of 10 ms each: a start task, two parallel chains
    /// A (a = ⌈(n−2)/2⌉ tasks) and B (b = ⌊(n−2)/2⌋ tasks) after it, and an end task after both.</summary>
    public static WorkflowDefinition W4(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 4);
        var a = (n - 1) / 2; // ⌈(n−2)/2⌉
        var b = (n - 2) / 2; // ⌊(n−2)/2⌋
        var tasks = new TaskDefinition[n];
        tasks[0] = Sleep(0);
        for (var i = 1; i <= a + b; i++)
        {
            // The first task of each chain hangs off the start; the rest off their predecessor.
            var parent = i == 1 || i == a + 1 ? 0 : i - 1;
            tasks[i] = Sleep(i) with { DependsOn = [Id(parent)] };
        }

        tasks[n - 1] = Sleep(n - 1) with { DependsOn = [Id(a), Id(a + b)] };
        return new WorkflowDefinition($"bench-w4-{n}", tasks);
    }

    /// <summary>Tasks on W4's critical path: start, the longer chain, end (4, 9, 16 for 5, 15, 30).</summary>
    public static int W4CriticalPathTasks(int n) => 2 + ((n - 1) / 2);

    /// <summary><paramref name="n"/> independent no-op tasks (W1, and the 100,000-task memory check).</summary>
    public static WorkflowDefinition Flat(int n, string name = "bench-flat")
    {
        var tasks = new TaskDefinition[n];
        for (var i = 0; i < n; i++)
        {
            tasks[i] = Noop(i);
        }

        return new WorkflowDefinition(name, tasks);
    }

    public static string Id(int number) => "t" + number.ToString(CultureInfo.InvariantCulture);

    private static TaskDefinition Noop(int number) => new(Id(number), NoopSpec.Instance);

    private static TaskDefinition Sleep(int number) => new(Id(number), new SleepSpec(W4TaskDelay));

    private static ulong NumberOf(string id) => ulong.Parse(id.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture);
}
