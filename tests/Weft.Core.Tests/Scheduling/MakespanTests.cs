using Microsoft.Extensions.Time.Testing;
using Weft.Definitions;

namespace Weft.Tests.Scheduling;

/// <summary>Critical path first shortens a run whose branches are uneven, measured on the fake clock
/// (the run is played as a discrete-event simulation by <see cref="ClockedSleeps"/>).</summary>
public sealed class MakespanTests
{
    private static TaskDefinition Sleep(string id, int seconds, params string[] dependsOn) =>
        new(id, new SleepSpec(TimeSpan.FromSeconds(seconds))) { DependsOn = dependsOn };

    // W4-like: after "start", forty 1 s tasks and a chain of five 10 s tasks compete for two slots.
    // The short tasks come first in the file, so FIFO runs them all before the chain can begin.
    private static WorkflowDefinition UnevenBranches()
    {
        var tasks = new List<TaskDefinition> { new("start", NoopSpec.Instance) };
        tasks.AddRange(Enumerable.Range(1, 40).Select(i => Sleep($"short{i}", 1, "start")));
        tasks.AddRange(Enumerable.Range(1, 5).Select(i => Sleep($"chain{i}", 10, i == 1 ? "start" : $"chain{i - 1}")));
        return new WorkflowDefinition("uneven", tasks);
    }

    // W3-like fan-out/fan-in: four branches of 1, 2, 3 and 6 steps of 5 s each, joined at the end; two slots.
    private static WorkflowDefinition FanOutUneven()
    {
        var tasks = new List<TaskDefinition> { new("start", NoopSpec.Instance) };
        var ends = new List<string>();
        foreach (var (branch, steps) in new[] { ("a", 1), ("b", 2), ("c", 3), ("d", 6) })
        {
            for (var s = 1; s <= steps; s++)
            {
                tasks.Add(Sleep($"{branch}{s}", 5, s == 1 ? "start" : $"{branch}{s - 1}"));
            }

            ends.Add($"{branch}{steps}");
        }

        tasks.Add(new TaskDefinition("join", NoopSpec.Instance) { DependsOn = ends });
        return new WorkflowDefinition("fan", tasks);
    }

    private static async Task<TimeSpan> MakespanAsync(WorkflowDefinition flow, QueueOrdering ordering, int slots)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var sleeps = new ClockedSleeps(clock);
        await using var engine = WeftEngine.Create(o =>
        {
            o.Workers = slots;
            o.TimeProvider = clock;
            o.Ordering = ordering;

            // Aging would (rightly) lift the short tasks above the chain once they have waited 30 s;
            // here we measure the ordering alone.
            o.AgingInterval = null;
            o.Handlers.Add(sleeps);
        });
        var start = clock.GetUtcNow();
        var run = await sleeps.PlayAsync(engine, await engine.SubmitAsync(flow));
        Assert.Equal(RunState.Succeeded, run.State);
        return run.FinishedAt!.Value - start;
    }

    [Fact]
    public async Task Run_UnevenBranches_CriticalPathFirstFinishesSoonerThanFifo()
    {
        var criticalPath = await MakespanAsync(UnevenBranches(), QueueOrdering.CriticalPathFirst, slots: 2);
        var fifo = await MakespanAsync(UnevenBranches(), QueueOrdering.Fifo, slots: 2);

        // CP first: the chain runs back to back on one slot (50 s) while the other takes the short tasks (40 s).
        // FIFO: both slots take the short tasks first (20 s), then the chain (50 s).
        Assert.Equal(TimeSpan.FromSeconds(50), criticalPath);
        Assert.Equal(TimeSpan.FromSeconds(70), fifo);
    }

    [Fact]
    public async Task Run_FanOutWithUnevenBranches_CriticalPathFirstFinishesSoonerThanFifo()
    {
        var criticalPath = await MakespanAsync(FanOutUneven(), QueueOrdering.CriticalPathFirst, slots: 2);
        var fifo = await MakespanAsync(FanOutUneven(), QueueOrdering.Fifo, slots: 2);

        // 12 steps of 5 s on two slots cannot beat 30 s, and branch d alone takes 30 s: CP first reaches it.
        Assert.Equal(TimeSpan.FromSeconds(30), criticalPath);
        // FIFO starts branch d's first step only after a, b and c's first steps, and its last step ends at 35 s.
        Assert.Equal(TimeSpan.FromSeconds(35), fifo);
    }
}
