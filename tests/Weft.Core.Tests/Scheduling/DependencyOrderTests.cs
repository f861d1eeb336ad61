using Weft.Definitions;
using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.Scheduling;

public sealed class DependencyOrderTests
{
    [Theory]
    [MemberData(nameof(Workers.Counts), MemberType = typeof(Workers))]
    public async Task Run_Diamond_StartsEachTaskOnlyAfterItsParentsSucceeded(int workers)
    {
        await using var h = new EngineHarness(workers);
        var run = await h.RunAsync(EngineHarness.Flow(Def("a"), Def("b", "a"), Def("c", "a"), Def("d", "b", "c")));

        Assert.Equal(RunState.Succeeded, run.State);
        var order = h.Script.StartOrder.ToList();
        Assert.Equal("a", order[0]);
        Assert.Equal("d", order[3]);
        var byId = run.Tasks.ToDictionary(t => t.TaskId);
        Assert.True(byId["d"].StartedAt >= byId["b"].FinishedAt);
        Assert.True(byId["d"].StartedAt >= byId["c"].FinishedAt);
        Assert.All(run.Tasks, t => Assert.Equal(1, t.Attempts));
    }

    [Theory]
    [MemberData(nameof(Workers.Counts), MemberType = typeof(Workers))]
    public async Task Run_IndependentTasks_RunInParallelUpToTheSlotCount(int workers)
    {
        await using var h = new EngineHarness(workers);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        var tasks = Enumerable.Range(0, 10).Select(i => Def($"t{i}")).ToArray();
        foreach (var t in tasks)
        {
            h.Script.On(t.Id, async _ =>
            {
                if (Interlocked.Increment(ref started) >= Math.Min(workers, 10))
                {
                    gate.TrySetResult();
                }

                await gate.Task;
                return Weft.Execution.TaskOutcome.Success;
            });
        }

        var run = await h.RunAsync(EngineHarness.Flow(tasks));

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(Math.Min(workers, 10), h.Script.MaxConcurrent);
    }

    [Theory]
    [MemberData(nameof(Workers.Counts), MemberType = typeof(Workers))]
    public async Task Run_LongChain_CompletesInOrder(int workers)
    {
        await using var h = new EngineHarness(workers);
        var tasks = Enumerable.Range(0, 500).Select(i => i == 0 ? Def("t0") : Def($"t{i}", $"t{i - 1}")).ToArray();

        var run = await h.RunAsync(EngineHarness.Flow(tasks));

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(tasks.Select(t => t.Id), h.Script.StartOrder);
    }

    [Fact]
    public async Task Run_HundredThousandNoopTasks_AllSucceed()
    {
        await using var h = new EngineHarness(2);
        var tasks = Enumerable.Range(0, 100_000).Select(i => new TaskDefinition($"t{i}", NoopSpec.Instance)).ToArray();

        var run = await h.RunAsync(EngineHarness.Flow(tasks));

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.All(run.Tasks, t => Assert.Equal(TaskState.Succeeded, t.State));
    }

    [Fact]
    public async Task Run_OneSlotBusy_StartsQueuedTasksByPriorityThenFifo()
    {
        await using var h = new EngineHarness(1);
        var release = new TaskCompletionSource<Weft.Execution.TaskOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Script.On("blocker", _ => new(release.Task));
        TaskDefinition P(string id, TaskPriority p) => Def(id, "blocker") with { Priority = p };
        var flow = EngineHarness.Flow(
            Def("blocker"),
            P("low1", TaskPriority.Low),
            P("normal1", TaskPriority.Normal),
            P("critical1", TaskPriority.Critical),
            P("high1", TaskPriority.High),
            P("low2", TaskPriority.Low),
            P("critical2", TaskPriority.Critical));

        var handle = await h.Engine.SubmitAsync(flow);
        release.SetResult(Weft.Execution.TaskOutcome.Success);
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(["blocker", "critical1", "critical2", "high1", "normal1", "low1", "low2"], h.Script.StartOrder);
    }
}
