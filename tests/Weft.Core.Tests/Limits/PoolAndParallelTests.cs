using Weft.Definitions;
using Weft.Execution;
using Weft.Tests.Scheduling;
using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.Limits;

public sealed class PoolAndParallelTests
{
    // Every task of the flow waits on one gate, so the test sees how many run at once.
    private static async Task<int> MaxConcurrentAsync(EngineHarness h, params WorkflowDefinition[] flows)
    {
        var gate = new TaskCompletionSource<TaskOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var t in flows.SelectMany(f => f.Tasks))
        {
            h.Script.On(t.Id, _ => new(gate.Task));
        }

        var handles = new List<RunHandle>();
        foreach (var flow in flows)
        {
            handles.Add(await h.Engine.SubmitAsync(flow));
        }

        var expected = flows.Sum(f => f.Tasks.Count);

        // Settled: every task is running or says why it waits, and every running one has entered
        // its handler (the state turns Running when a slot takes the task, just before the call).
        await EngineHarness.WaitUntilAsync(() =>
        {
            var tasks = handles.SelectMany(r => r.Snapshot().Tasks).ToList();
            var running = tasks.Count(t => t.State == TaskState.Running);
            return running + tasks.Count(t => t.State != TaskState.Running && t.WaitReason is not null) == expected
                && h.Script.Running == running;
        });
        var max = h.Script.MaxConcurrent;
        gate.SetResult(TaskOutcome.Success);
        foreach (var handle in handles)
        {
            Assert.Equal(RunState.Succeeded, (await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);
        }

        return max;
    }

    [Theory]
    [MemberData(nameof(Workers.Counts), MemberType = typeof(Workers))]
    public async Task Pool_SizeTwo_RunsAtMostTwoOfItsTasksAcrossRuns(int workers)
    {
        await using var h = new EngineHarness(Math.Max(workers, 4));
        WorkflowDefinition Flow(string prefix) => new("p", Enumerable.Range(0, 4).Select(i => Def($"{prefix}{i}") with { Pool = "db" }).ToArray())
        {
            Pools = new Dictionary<string, int> { ["db"] = 2 },
        };

        var max = await MaxConcurrentAsync(h, Flow("a"), Flow("b"));

        Assert.Equal(2, max);
    }

    [Fact]
    public async Task Pool_WaitingTask_ShowsWhyItWaits()
    {
        await using var h = new EngineHarness(4);
        var gate = new TaskCompletionSource<TaskOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Script.On("a", _ => new(gate.Task));
        var flow = new WorkflowDefinition("p", [Def("a") with { Pool = "db" }, Def("b") with { Pool = "db" }])
        {
            Pools = new Dictionary<string, int> { ["db"] = 1 },
        };
        var handle = await h.Engine.SubmitAsync(flow);

        var waiting = await h.WaitForEventAsync(handle.RunId, e => e.Kind == RunEventKind.TaskWaiting);

        Assert.Equal("b", waiting.TaskId);
        Assert.Equal("waiting for pool 'db' (1/1 in use)", waiting.Error);
        Assert.Equal("waiting for pool 'db' (1/1 in use)", handle.Snapshot().Tasks[1].WaitReason);
        gate.SetResult(TaskOutcome.Success);
        Assert.Equal(RunState.Succeeded, (await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);
    }

    [Fact]
    public async Task Pool_SizedInOptions_WinsOverTheWorkflow()
    {
        await using var h = new EngineHarness(8, o => o.Pools["api"] = 3);
        var flow = new WorkflowDefinition("p", Enumerable.Range(0, 6).Select(i => Def($"t{i}") with { Pool = "api" }).ToArray())
        {
            Pools = new Dictionary<string, int> { ["api"] = 1 },
        };

        Assert.Equal(3, await MaxConcurrentAsync(h, flow));
    }

    [Fact]
    public async Task Pool_NobodySizedIt_IsRefusedAtSubmit()
    {
        await using var h = new EngineHarness(2);

        var ex = await Assert.ThrowsAsync<WeftConfigurationException>(async () =>
            await h.Engine.SubmitAsync(EngineHarness.Flow(Def("a") with { Pool = "nowhere" })));

        Assert.Contains("task 'a' uses pool 'nowhere', which has no size", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Workers.Counts), MemberType = typeof(Workers))]
    public async Task MaxParallel_Three_RunsAtMostThreeTasksOfTheRun(int workers)
    {
        await using var h = new EngineHarness(Math.Max(workers, 6));
        var flow = new WorkflowDefinition("m", Enumerable.Range(0, 8).Select(i => Def($"t{i}")).ToArray()) { MaxParallel = 3 };

        Assert.Equal(3, await MaxConcurrentAsync(h, flow));
    }

    [Fact]
    public void Loader_PoolsAndMaxParallel_AreRead()
    {
        var definition = WorkflowLoader.Parse("""
            name: limits
            pools: { db: 2, api: 5 }
            maxParallel: 4
            tasks:
              load:
                noop: {}
                pool: db
                breaker: warehouse
            """, "limits.yaml");

        Assert.Equal(2, definition.Pools["db"]);
        Assert.Equal(4, definition.MaxParallel);
        Assert.Equal("db", definition.Tasks[0].Pool);
        Assert.Equal("warehouse", definition.Tasks[0].Breaker);
        var roundTrip = WorkflowLoader.Parse(DefinitionJson.Write(definition), "stored.json");
        Assert.Equal(definition.Pools, roundTrip.Pools);
        Assert.Equal("warehouse", roundTrip.Tasks[0].Breaker);
    }

    [Fact]
    public void Loader_BadPoolSizeAndMaxParallel_ReportPlaces()
    {
        var ex = Assert.Throws<WorkflowValidationException>(() => WorkflowLoader.Parse("""
            name: limits
            pools: { db: 0 }
            maxParallel: zero
            tasks:
              a: { noop: {}, pool: "bad name" }
            """, "limits.yaml"));

        Assert.Contains(ex.Errors, e => e.ToString() == "limits.yaml:2:14: the size of pool 'db' must be at least 1, not 0");
        Assert.Contains(ex.Errors, e => e.ToString().StartsWith("limits.yaml:3:14: 'maxParallel' must be a whole number", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.ToString().Contains("'pool' in task 'a' must be letters, digits", StringComparison.Ordinal));
    }
}
