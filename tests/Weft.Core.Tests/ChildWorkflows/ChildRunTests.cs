using System.Text.Json;
using Weft.Definitions;
using Weft.Execution;
using Weft.Tests.Scheduling;
using static Weft.Tests.ChildWorkflows.ChildHarness;

namespace Weft.Tests.ChildWorkflows;

/// <summary>A <c>workflow:</c> task runs its child as a run of its own: the child's outputs come back by
/// task id, a failure names the child run, parameters are templated into it, and the parent task holds no
/// slot while the child runs.</summary>
public sealed class ChildRunTests
{
    private const string LoadRegion = """
        name: load-region
        params:
          region: { required: true }
        tasks:
          extract: { echo: "rows of {{ params.region }}" }
          count: { echo: '{"n": 3}', dependsOn: extract }
        """;

    [Fact]
    public async Task ChildSucceeds_ParentOutputIsTheChildOutputsByTaskId_AndDownstreamReadsThem()
    {
        await using var h = new ChildHarness();
        await h.RegisterAsync(LoadRegion);
        var parent = Parse("""
            name: nightly
            params:
              region: { default: eu }
            tasks:
              load_region:
                workflow: load-region
                params: { region: "{{ params.region }}" }
              report:
                dependsOn: load_region
                echo: "{{ tasks.load_region.output.count.n }} from {{ tasks.load_region.output.extract }}"
            """);

        var handle = await h.Engine.SubmitAsync(parent);
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        var load = Task(run, "load_region");
        Assert.Equal(TaskState.Succeeded, load.State);
        Assert.Equal("""{"extract":"rows of eu","count":{"n":3}}""", load.Output);
        Assert.Equal("3 from rows of eu", Task(run, "report").Output);

        var child = Assert.Single(await h.ChildrenOfAsync(handle.RunId));
        Assert.Equal("load-region", child.Workflow);
        Assert.Equal(RunState.Succeeded, child.State);
        Assert.Equal(handle.RunId, child.ParentRunId);
        Assert.Equal("load_region", child.ParentTaskId);
        Assert.Equal($"parent {handle.RunId}/load_region", child.TriggeredBy);
        var childRun = (await h.Engine.Store.GetRunAsync(child.RunId))!;
        Assert.Equal(handle.RunId, childRun.ParentRunId);
        Assert.Equal("load_region", childRun.ParentTaskId);
        Assert.Equal($"child run {child.RunId}", Assert.Single(load.AttemptHistory).Worker);
    }

    [Fact]
    public async Task ParamsAreTemplatedIntoTheChild_FromUpstreamOutputs()
    {
        await using var h = new ChildHarness();
        await h.RegisterAsync(LoadRegion);
        var parent = Parse("""
            name: pick-and-load
            tasks:
              pick: { echo: "us-east" }
              load:
                dependsOn: pick
                workflow: load-region
                params: { region: "{{ tasks.pick.output }}-1" }
            """);

        var handle = await h.Engine.SubmitAsync(parent);
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        var child = Assert.Single(await h.ChildrenOfAsync(handle.RunId));
        Assert.Equal("us-east-1", (await h.Engine.Store.GetRunAsync(child.RunId))!.Params["region"]);
        using var output = JsonDocument.Parse(Task(run, "load").Output!);
        Assert.Equal("rows of us-east-1", output.RootElement.GetProperty("extract").GetString());
    }

    [Fact]
    public async Task ChildFails_ParentTaskFailsNamingTheChildRunAndItsFailedTask()
    {
        await using var h = new ChildHarness();
        await h.RegisterAsync("""
            name: fragile
            tasks:
              fetch: { echo: fetched }
              parse: { echo: parsed, dependsOn: fetch }
            """);
        h.Echo.On("parse", _ => ValueTask.FromResult(TaskOutcome.Failed("unexpected end of input")));
        var parent = Parse("""
            name: outer
            tasks:
              sub: { workflow: fragile }
              after: { echo: never, dependsOn: sub }
            """);

        var handle = await h.Engine.SubmitAsync(parent);
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Failed, run.State);
        var child = Assert.Single(await h.ChildrenOfAsync(handle.RunId));
        Assert.Equal(RunState.Failed, child.State);
        var sub = Task(run, "sub");
        Assert.Equal(TaskState.Failed, sub.State);
        Assert.Equal($"child run {child.RunId} of workflow 'fragile' failed: parse (failed: unexpected end of input)", sub.Error);
        Assert.Equal(TaskState.UpstreamFailed, Task(run, "after").State);
    }

    [Fact]
    public async Task RetryOfTheParentTask_StartsANewChildRun()
    {
        await using var h = new ChildHarness();
        await h.RegisterAsync("""
            name: flaky
            tasks:
              call: { echo: answered }
            """);
        var calls = 0;
        h.Echo.On("call", _ => ValueTask.FromResult(Interlocked.Increment(ref calls) == 1
            ? TaskOutcome.Failed("503 from upstream")
            : TaskOutcome.Succeeded("answered")));
        var parent = Parse("""
            name: outer
            tasks:
              sub:
                workflow: flaky
                retry: { strategy: immediate, maxAttempts: 2 }
            """);

        var handle = await h.Engine.SubmitAsync(parent);
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        var sub = Task(run, "sub");
        Assert.Equal(2, sub.Attempts);
        Assert.Equal("""{"call":"answered"}""", sub.Output);
        var children = await h.ChildrenOfAsync(handle.RunId);
        Assert.Equal(2, children.Count);
        Assert.NotEqual(children[0].RunId, children[1].RunId);
        Assert.Equal(new[] { RunState.Failed, RunState.Succeeded }.Order(), children.Select(c => c.State).Order());
        Assert.Contains(sub.AttemptHistory, a => a.Outcome == TaskOutcomeStatus.Failed && a.Error!.Contains("503 from upstream", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AHeldChildTask_TakesNoSlot_SoTheChildsOwnTasksRunOnTheOnlySlot()
    {
        await using var h = new ChildHarness(workers: 1);
        await h.RegisterAsync("""
            name: inner
            tasks:
              a: { echo: a }
              b: { echo: b, dependsOn: a }
              c: { echo: c, dependsOn: b }
            """);
        var parent = Parse("""
            name: outer
            maxParallel: 1
            tasks:
              sub: { workflow: inner }
              side: { echo: side }
            """);

        var run = await h.Harness.RunAsync(parent);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal("""{"a":"a","b":"b","c":"c"}""", Task(run, "sub").Output);
        Assert.Equal("side", Task(run, "side").Output);
        Assert.Equal(1, h.Echo.MaxConcurrent);
    }

    [Fact]
    public async Task AnUnregisteredChild_IsRefusedAtSubmit_AtTheTasksPlace_AndNothingIsRecorded()
    {
        await using var h = new ChildHarness();
        var parent = Parse("""
            name: outer
            tasks:
              sub: { workflow: no-such-flow }
            """);

        var ex = await Assert.ThrowsAsync<WorkflowValidationException>(() => h.Engine.SubmitAsync(parent).AsTask());

        Assert.Equal("flow.yaml:3:3: task 'sub' runs workflow 'no-such-flow', which is not registered (weft workflows register FILE, or give a path to its file)", Assert.Single(ex.Errors).ToString());
        Assert.Empty(await h.Engine.Store.ListRunsAsync(new Storage.RunQuery()));
    }

    [Fact]
    public async Task ARegisteredChild_GivenAParameterItDoesNotDeclare_IsRefusedAtSubmit()
    {
        await using var h = new ChildHarness();
        await h.RegisterAsync(LoadRegion);
        var parent = Parse("""
            name: outer
            tasks:
              sub:
                workflow: load-region
                params: { regoin: eu }
            """);

        var ex = await Assert.ThrowsAsync<WorkflowValidationException>(() => h.Engine.SubmitAsync(parent).AsTask());

        Assert.Equal(
            ["flow.yaml:3:3: 'params' in task 'sub' gives 'regoin', which workflow 'load-region' does not declare (it declares 'region') (did you mean 'region'?)",
             "flow.yaml:3:3: task 'sub' runs workflow 'load-region', which requires parameter 'region'; give it in 'params'"],
            ex.Errors.Select(e => e.ToString()));
    }
}
