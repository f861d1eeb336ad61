using System.Globalization;
using System.Text.RegularExpressions;
using Weft.Execution;
using Weft.Tests.EndToEnd;

namespace Weft.Tests.Cluster;

/// <summary>A cluster of real processes runs a large workflow: a server that only schedules, three
/// <c>weft worker</c> processes that run the tasks, <c>weft run --store postgres://…</c> that submits it.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed partial class ClusterRunTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task W3_OnThreeWorkers_EveryTaskSucceedsOnceAndTheWorkIsShared()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var cluster = await ClusterHarness.StartAsync();
        var flow = cluster.Files.Write("w3.yaml", ClusterWorkflows.W3());
        var server = cluster.StartServer();
        string[] names = ["w1", "w2", "w3"];
        var workers = await Task.WhenAll(names.Select(n => cluster.StartWorkerAsync(n, "--slots", "4")));
        Assert.True(await server.WaitForOutputAsync("leading:", ClusterHarness.Patience), cluster.Transcript());

        output.WriteLine($"cluster up after {clock.Elapsed.TotalSeconds:0.0} s");
        var run = cluster.StartRun(flow);
        var exit = await run.WaitForExitAsync();
        output.WriteLine($"run done after {clock.Elapsed.TotalSeconds:0.0} s");

        Assert.True(exit == 0, $"weft run exited {exit}\n{cluster.Transcript()}");
        var recorded = await cluster.RunAsync(await cluster.RunIdAsync());
        Assert.Equal(RunState.Succeeded, recorded.State);
        Assert.Equal(ClusterWorkflows.W3Levels * ClusterWorkflows.W3Width, recorded.Tasks.Count);
        Assert.All(recorded.Tasks, t => Assert.True(
            t.State == TaskState.Succeeded && t.Attempts == 1 && t.AttemptHistory.Count == 1,
            $"{t.TaskId}: {t.State.ToName()} after {t.Attempts} attempts ({t.Error})"));
        Assert.All(recorded.Tasks, t => Assert.Contains(t.AttemptHistory[0].Worker, names)); // the store names who ran each attempt

        // A worker stopped with SIGTERM says how many tasks it completed.
        var completed = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < workers.Length; i++)
        {
            await workers[i].SignalAsync("TERM");
            Assert.Equal(0, await workers[i].WaitForExitAsync());
            var match = StoppedLine().Match(workers[i].Stdout);
            Assert.True(match.Success, workers[i].Stdout);
            completed[names[i]] = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        Assert.Equal(recorded.Tasks.Count, completed.Values.Sum());
        Assert.True(completed.Values.Count(c => c > 0) >= 2, $"the work was not shared: {string.Join(", ", completed)}");
    }

    [GeneratedRegex(@"stopped: (\d+) tasks completed")]
    private static partial Regex StoppedLine();
}
