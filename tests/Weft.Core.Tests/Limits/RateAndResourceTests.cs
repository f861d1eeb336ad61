using Weft.Definitions;
using Weft.Execution;
using Weft.Tests.Scheduling;
using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.Limits;

public sealed class RateAndResourceTests
{
    [Fact]
    public async Task RateLimit_TwoPerSecond_StartsABurstThenOneTaskPerHalfSecondOnTheClock()
    {
        await using var h = new EngineHarness(8);
        var flow = new WorkflowDefinition("r", Enumerable.Range(0, 6).Select(i => Def($"t{i}") with { RateLimit = "api" }).ToArray())
        {
            RateLimits = new Dictionary<string, RateLimit> { ["api"] = new(2, TimeSpan.FromSeconds(1)) },
        };
        var handle = await h.Engine.SubmitAsync(flow);
        int Started() => h.Script.StartOrder.Count;

        await h.WaitForEventAsync(handle.RunId, e => e.Kind == RunEventKind.TaskWaiting);
        await EngineHarness.WaitUntilAsync(() => Started() == 2);
        Assert.Equal("waiting for rate limit 'api' (2/s)", handle.Snapshot().Tasks[5].WaitReason);

        h.Clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Equal(2, Started());
        h.Clock.Advance(TimeSpan.FromMilliseconds(1));
        await EngineHarness.WaitUntilAsync(() => Started() == 3);
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        await EngineHarness.WaitUntilAsync(() => Started() == 5);
        h.Clock.Advance(TimeSpan.FromMilliseconds(500));

        Assert.Equal(RunState.Succeeded, (await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);
        Assert.Equal(6, Started());
    }

    [Fact]
    public async Task RateLimit_UnknownKey_IsRefusedAtSubmit()
    {
        await using var h = new EngineHarness(2);

        var ex = await Assert.ThrowsAsync<WeftConfigurationException>(async () =>
            await h.Engine.SubmitAsync(EngineHarness.Flow(Def("a") with { RateLimit = "api" })));

        Assert.Contains("task 'a' uses rate limit 'api', which is not set", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Workers.Counts), MemberType = typeof(Workers))]
    public async Task Resources_OneGpu_RunsGpuTasksOneAtATime(int workers)
    {
        await using var h = new EngineHarness(Math.Max(4, workers), o => o.Resources["gpu"] = 1);
        var gate = new TaskCompletionSource<TaskOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var gpu = new Dictionary<string, double> { ["gpu"] = 1 };
        var tasks = Enumerable.Range(0, 3).Select(i => Def($"train{i}") with { Resources = gpu }).ToArray();
        foreach (var t in tasks)
        {
            h.Script.On(t.Id, _ => new(gate.Task));
        }

        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(tasks));
        await EngineHarness.WaitUntilAsync(() => handle.Snapshot().Tasks.Count(t => t.WaitReason is not null) == 2);
        Assert.StartsWith("waiting for resources (gpu: 1 of 0 free)", handle.Snapshot().Tasks.First(t => t.WaitReason is not null).WaitReason);
        gate.SetResult(TaskOutcome.Success);

        Assert.Equal(RunState.Succeeded, (await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);
        Assert.Equal(1, h.Script.MaxConcurrent);
    }

    [Fact]
    public async Task Resources_MoreThanTheEngineHas_IsRefusedAtSubmitInsteadOfWaitingForever()
    {
        await using var h = new EngineHarness(2, o => o.Resources["cpu"] = 2);

        var ex = await Assert.ThrowsAsync<WeftConfigurationException>(async () => await h.Engine.SubmitAsync(EngineHarness.Flow(
            Def("big") with { Resources = new Dictionary<string, double> { ["cpu"] = 4 } },
            Def("gpu") with { Resources = new Dictionary<string, double> { ["gpu"] = 1 } })));

        Assert.Contains("task 'big' needs cpu: 4, but this engine has cpu: 2 in all", ex.Errors);
        Assert.Contains("task 'gpu' needs gpu: 1, but this engine has gpu: 0 in all (set WeftOptions.Resources[\"gpu\"])", ex.Errors);
        Assert.Empty(h.Engine.RunIds());
    }

    [Fact]
    public void Loader_RateLimitsAndResources_AreReadWithUnits()
    {
        var definition = WorkflowLoader.Parse("""
            name: r
            rateLimits: { api: 50/s, slow: 10/m }
            tasks:
              call:
                noop: {}
                rateLimit: api
                resources: { cpu: 2, memory: 512MB, gpu: 1 }
            """, "r.yaml");

        Assert.Equal(new RateLimit(50, TimeSpan.FromSeconds(1)), definition.RateLimits["api"]);
        Assert.Equal(new RateLimit(10, TimeSpan.FromMinutes(1)), definition.RateLimits["slow"]);
        Assert.Equal(512e6, definition.Tasks[0].Resources["memory"]);
        Assert.Equal(2, definition.Tasks[0].Resources["cpu"]);
        var roundTrip = WorkflowLoader.Parse(DefinitionJson.Write(definition), "stored.json");
        Assert.Equal(definition.Tasks[0].Resources, roundTrip.Tasks[0].Resources);
        Assert.Equal(definition.RateLimits, roundTrip.RateLimits);
    }

    [Fact]
    public void Loader_BadRateAndAmount_ReportPlaces()
    {
        var ex = Assert.Throws<WorkflowValidationException>(() => WorkflowLoader.Parse("""
            name: r
            rateLimits: { api: fast }
            tasks:
              a: { noop: {}, resources: { memory: lots } }
            """, "r.yaml"));

        Assert.Contains(ex.Errors, e => e.ToString() == "r.yaml:2:20: bad rate 'fast' for 'api'; expected a count per second, minute or hour, e.g. 50/s, 600/m, 1000/h");
        Assert.Contains(ex.Errors, e => e.ToString().Contains("bad amount 'lots' for resource 'memory' in task 'a'", StringComparison.Ordinal));
    }
}
