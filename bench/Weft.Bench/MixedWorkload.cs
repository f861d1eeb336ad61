using System.Diagnostics;
using System.Globalization;
using Weft.Definitions;

namespace Weft.Bench;

/// <summary>MIXED: phases of CPU-bound and I/O-bound tasks, one after another in one run, to compare
/// fixed pools of several sizes with the adaptive pool (<see cref="PoolOptions.Adaptive"/>). A CPU
/// task does a fixed amount of arithmetic (so more threads cannot do it faster than the cores can);
/// an I/O task holds a slot while it waits 20 ms on a device that serves at most
/// <see cref="IoCapacity"/> requests at once (a database or service with a connection limit), so
/// slots beyond that help no further. The best fixed pool is then about <see cref="IoCapacity"/>
/// slots in I/O phases and any size from the cores up in CPU phases.</summary>
internal static class MixedWorkload
{
    public const int Phases = 4;
    public const int CpuTasksPerPhase = 400;
    public const int IoTasksPerPhase = 1_600;
    public const int IoCapacity = 16;
    public static readonly TimeSpan IoWait = TimeSpan.FromMilliseconds(20);

    /// <summary>Iterations of the CPU task's loop: about 5 ms on one core of the 2-core machine.</summary>
    public const int CpuIterations = 5_000_000;

    /// <summary>Fixed pool sizes compared with the adaptive pool.</summary>
    public static readonly IReadOnlyList<int> FixedSizes = [2, 4, 8, 16, 32];

    /// <summary>The adaptive pool's bounds and its clock. The phases last seconds, not the minutes of
    /// real work, so the pool is evaluated every 50 ms with a 1 s cool-down instead of 1 s and 10 s:
    /// the same rules on a time scale that fits the run (<c>/proc/stat</c> counts in 10 ms ticks, so a
    /// 50 ms window on 2 cores still resolves 10 %).</summary>
    public static void Adaptive(PoolOptions pool)
    {
        pool.MinWorkers = 1;
        pool.MaxWorkers = 32;
        pool.Adaptive = true;
        pool.EvaluateEvery = TimeSpan.FromMilliseconds(50);
        pool.CoolDown = TimeSpan.FromSeconds(1);
    }

    public static int Tasks => (Phases / 2 * CpuTasksPerPhase) + (Phases / 2 * IoTasksPerPhase) + Phases;

    /// <summary>CPU, I/O, CPU, I/O: each phase's tasks wait for a barrier task after the previous phase.</summary>
    public static WorkflowDefinition Definition()
    {
        var tasks = new List<TaskDefinition>();
        string? barrier = null;
        for (var phase = 0; phase < Phases; phase++)
        {
            var cpu = phase % 2 == 0;
            var count = cpu ? CpuTasksPerPhase : IoTasksPerPhase;
            var ids = new string[count];
            for (var i = 0; i < count; i++)
            {
                ids[i] = string.Create(CultureInfo.InvariantCulture, $"p{phase}-{(cpu ? "cpu" : "io")}{i}");
                tasks.Add(new TaskDefinition(ids[i], new FunctionSpec(cpu ? CpuFunction : IoFunction))
                {
                    DependsOn = barrier is null ? [] : [barrier],
                });
            }

            barrier = string.Create(CultureInfo.InvariantCulture, $"p{phase}-done");
            tasks.Add(new TaskDefinition(barrier, NoopSpec.Instance) { DependsOn = ids });
        }

        return new WorkflowDefinition("bench-mixed", tasks);
    }

    public const string CpuFunction = "bench.cpu";
    public const string IoFunction = "bench.io";

    /// <summary>Registers the two functions on an engine; the I/O device is the engine's own.</summary>
    public static void Register(WeftEngine engine)
    {
        var device = new SemaphoreSlim(IoCapacity, IoCapacity);
        engine.Functions.Register(CpuFunction, _ => Spin(CpuIterations));
        engine.Functions.Register(IoFunction, async (_, ct) =>
        {
            await device.WaitAsync(ct);
            try
            {
                await Task.Delay(IoWait, ct);
            }
            finally
            {
                device.Release();
            }

            return null;
        });
    }

    /// <summary>SplitMix64 steps: work the JIT cannot fold away, returned so it is not dead code.</summary>
    private static object? Spin(int iterations)
    {
        var x = (ulong)Stopwatch.GetTimestamp();
        for (var i = 0; i < iterations; i++)
        {
            x += 0x9E3779B97F4A7C15UL;
            var z = x;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            x ^= z ^ (z >> 27);
        }

        return x == 42 ? "unlikely" : null;
    }
}
