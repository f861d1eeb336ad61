using System.Text;
using Weft.TestFunctions;

namespace Weft.Tests.Cluster;

/// <summary>Workflow files for the cluster tests, as YAML text.</summary>
internal static class ClusterWorkflows
{
    public const int W3Levels = 10;
    public const int W3Width = 200;

    /// <summary>W3 of the benchmark (shared WORKLOADS.md): 10 levels × 200 noop tasks, each task of a
    /// level after the first waiting for 2 distinct tasks of the level before, drawn by SplitMix64(42).</summary>
    public static string W3()
    {
        var yaml = new StringBuilder("name: w3\ntasks:\n");
        var state = 42UL;
        ulong Next()
        {
            state += 0x9E3779B97F4A7C15;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }

        for (var level = 0; level < W3Levels; level++)
        {
            for (var i = 0; i < W3Width; i++)
            {
                yaml.Append($"  t{(level * W3Width) + i}:\n    noop: {{}}\n");
                if (level > 0)
                {
                    var a = (int)(Next() % W3Width);
                    var b = (int)(Next() % W3Width);
                    while (b == a)
                    {
                        b = (int)(Next() % W3Width);
                    }

                    yaml.Append($"    dependsOn: [t{((level - 1) * W3Width) + a}, t{((level - 1) * W3Width) + b}]\n");
                }
            }
        }

        return yaml.ToString();
    }

    /// <summary><paramref name="levels"/> levels of <paramref name="width"/> shell tasks; each appends its id
    /// to <paramref name="log"/> when it starts (one line per attempt that began), then sleeps
    /// <paramref name="seconds"/>; each task of a level after the first waits for the task above it.
    /// Later levels need the scheduler to dispatch them, so they show whether scheduling went on.</summary>
    public static string Slow(int levels, int width, double seconds, string log)
    {
        var yaml = new StringBuilder("name: slow\ntasks:\n");
        for (var level = 0; level < levels; level++)
        {
            for (var i = 0; i < width; i++)
            {
                var id = $"t{(level * width) + i}";
                yaml.Append($"  {id}:\n    shell: echo {id} >> {log} && sleep {seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n");
                if (level > 0)
                {
                    yaml.Append($"    dependsOn: [t{((level - 1) * width) + i}]\n");
                }
            }
        }

        return yaml.ToString();
    }

    /// <summary>Three quick tasks, then one whose function crashes the worker process that runs it.</summary>
    public const string CrashesItsWorker = $"""
        name: crashes-its-worker
        tasks:
          a:
            noop: {"{}"}
          b:
            shell: echo b
          c:
            sleep: 10ms
          boom:
            function: {CrashingFunctions.CrashWorker}
            dependsOn: [a, b, c]
        """;
}
