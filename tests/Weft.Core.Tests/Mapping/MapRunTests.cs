using Weft.Definitions;
using Weft.Execution;
using Weft.Tests.Scheduling;
using static Weft.Tests.Mapping.EchoHandler;

namespace Weft.Tests.Mapping;

/// <summary>Map tasks on an embedded engine: one instance per element with item and index, outputs
/// in element order downstream, failures under trigger rules, retries, maxParallel, bad lists.</summary>
public sealed class MapRunTests
{
    private static EngineHarness Harness(int workers, EchoHandler echo, Action<WeftOptions>? configure = null) =>
        new(workers, o =>
        {
            o.Handlers.Add(echo);
            configure?.Invoke(o);
        });

    private static TaskDefinition List(string json) => Def("list", json);

    private static TaskDefinition Convert(string text = "{{ index }}:{{ item }}", int? maxParallel = null) =>
        Def("convert", text, "list") with { Map = new MapSpec("{{ tasks.list.output }}") { MaxParallel = maxParallel } };

    [Theory]
    [MemberData(nameof(Workers.Counts), MemberType = typeof(Workers))]
    public async Task Run_Map_RunsOneInstancePerElementWithItemAndIndex_AndDownstreamSeesTheOutputsInOrder(int workers)
    {
        var echo = new EchoHandler();
        await using var h = Harness(workers, echo);

        var run = await h.RunAsync(EngineHarness.Flow(
            List("""["a.jpg", "b.jpg", "c.jpg"]"""),
            Convert(),
            Def("report", "converted: {{ tasks.convert.output }}", "convert")));

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(["list", "convert", "report", "convert[0]", "convert[1]", "convert[2]"], run.Tasks.Select(t => t.TaskId));
        Assert.Equal(["0:a.jpg", "1:b.jpg", "2:c.jpg"], run.Tasks.Skip(3).Select(t => t.Output));
        Assert.All(run.Tasks, t => Assert.Equal(TaskState.Succeeded, t.State));
        Assert.Equal("""["0:a.jpg","1:b.jpg","2:c.jpg"]""", run.Tasks[1].Output);
        Assert.Equal("""converted: ["0:a.jpg","1:b.jpg","2:c.jpg"]""", run.Tasks[2].Output);
        Assert.Equal("echo", run.Tasks[4].Kind);
    }

    [Fact]
    public async Task Run_MapOverObjects_ItemFieldsAndJsonOutputsKeepTheirShape()
    {
        var echo = new EchoHandler();
        await using var h = Harness(2, echo);

        var run = await h.RunAsync(EngineHarness.Flow(
            List("""[{"n": 1, "name": "x"}, {"n": 2, "name": "y"}]"""),
            Convert("""{"n": {{ item.n }}, "seen": "{{ item.name }}"}""")));

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal("""[{"n":1,"seen":"x"},{"n":2,"seen":"y"}]""", run.Tasks[1].Output);
    }

    [Fact]
    public async Task Run_EmptyList_SucceedsWithAnEmptyArrayAndNoInstances()
    {
        await using var h = Harness(2, new EchoHandler());

        var run = await h.RunAsync(EngineHarness.Flow(List("[]"), Convert(), Def("report", "got {{ tasks.convert.output }}", "convert")));

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(3, run.Tasks.Count);
        Assert.Equal("[]", run.Tasks[1].Output);
        Assert.Equal("got []", run.Tasks[2].Output);
    }

    [Theory]
    [MemberData(nameof(Workers.Counts), MemberType = typeof(Workers))]
    public async Task Run_FailedInstance_FailsTheMapTask_AllSuccessChildIsUpstreamFailed_AllDoneChildRuns(int workers)
    {
        var echo = new EchoHandler();
        echo.On("convert[1]", _ => new(TaskOutcome.Failed("bad image", exitCode: 2)));
        await using var h = Harness(workers, echo);

        var run = await h.RunAsync(EngineHarness.Flow(
            List("""["a", "b", "c"]"""),
            Convert(),
            Def("report", "{{ tasks.convert.output }}", "convert"),
            Def("cleanup", "{{ tasks.convert.output }}", "convert") with { Trigger = TriggerRule.AllDone }));

        Assert.Equal(RunState.Failed, run.State);
        var byId = run.Tasks.ToDictionary(t => t.TaskId);
        Assert.Equal(TaskState.Failed, byId["convert[1]"].State);
        Assert.Equal(TaskState.Succeeded, byId["convert[0]"].State);
        Assert.Equal(TaskState.Succeeded, byId["convert[2]"].State);
        Assert.Equal(TaskState.Failed, byId["convert"].State);
        Assert.Equal("1 of 3 instances did not succeed: convert[1] (failed)", byId["convert"].Error);
        Assert.Equal(TaskState.UpstreamFailed, byId["report"].State);
        Assert.Equal("upstream task 'convert' failed", byId["report"].Error);
        Assert.Equal(TaskState.Succeeded, byId["cleanup"].State);
        Assert.Equal("""["0:a",null,"2:c"]""", byId["cleanup"].Output);
    }

    [Theory]
    [MemberData(nameof(Workers.Counts), MemberType = typeof(Workers))]
    public async Task Run_InstanceThatFailsOnce_IsRetriedAlone(int workers)
    {
        var echo = new EchoHandler();
        echo.On("convert[1]", inv => new(inv.Attempt == 1 ? TaskOutcome.Failed("flaky") : TaskOutcome.Succeeded("ok")));
        await using var h = Harness(workers, echo);
        var retry = new RetryPolicy { Strategy = RetryStrategy.Immediate, MaxAttempts = 3 };

        var run = await h.RunAsync(EngineHarness.Flow(List("""["a", "b", "c"]"""), Convert() with { Retry = retry }));

        Assert.Equal(RunState.Succeeded, run.State);
        var byId = run.Tasks.ToDictionary(t => t.TaskId);
        Assert.Equal(2, byId["convert[1]"].Attempts);
        Assert.Equal([TaskOutcomeStatus.Failed, TaskOutcomeStatus.Succeeded], byId["convert[1]"].AttemptHistory.Select(a => a.Outcome!.Value));
        Assert.Equal(1, byId["convert[0]"].Attempts);
        Assert.Equal(1, byId["convert[2]"].Attempts);
        Assert.Equal(1, byId["convert"].Attempts);
        Assert.Equal("""["0:a","ok","2:c"]""", byId["convert"].Output);
    }

    [Fact]
    public async Task Run_MaxParallel_StartsInstancesInElementOrder()
    {
        var echo = new EchoHandler { Hold = true };
        await using var h = Harness(8, echo);
        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(List("[1,2,3,4,5,6,7,8,9,10]"), Convert(maxParallel: 3)));

        await EngineHarness.WaitUntilAsync(() => echo.Running == 1);
        // The order the scheduler starts them in (its events), not the order threads of 3 slots happen to
        // enter the handler, which a loaded machine may shuffle.
        var starts = StartedInstancesAsync(h.Engine, handle.RunId);
        echo.Hold = false;
        echo.Gate.TrySetResult();
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.True(echo.MaxConcurrent <= 3, $"at most 3 instances at once, saw {echo.MaxConcurrent}");
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"convert[{i}]"), await starts.WaitAsync(EngineHarness.HardLimit));
    }

    private static async Task<List<string>> StartedInstancesAsync(WeftEngine engine, string runId)
    {
        var started = new List<string>();
        await foreach (var e in engine.WatchAsync(runId))
        {
            if (e.Kind == RunEventKind.TaskStarted && e.TaskId?.StartsWith("convert[", StringComparison.Ordinal) == true)
            {
                started.Add(e.TaskId);
            }
        }

        return started;
    }

    [Fact]
    public async Task Run_MaxParallel_SnapshotShowsThreeRunningAndTheRestPending()
    {
        var echo = new EchoHandler();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        for (var i = 0; i < 6; i++)
        {
            echo.On($"convert[{i}]", async inv =>
            {
                await release.Task.WaitAsync(inv.CancellationToken);
                return TaskOutcome.Succeeded("x");
            });
        }

        await using var h = Harness(8, echo);
        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(List("[1,2,3,4,5,6]"), Convert(maxParallel: 3)));
        await EngineHarness.WaitUntilAsync(() => echo.Running == 3);

        var snapshot = handle.Snapshot();
        var instances = snapshot.Tasks.Where(t => t.TaskId.StartsWith("convert[", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, instances.Count);
        Assert.Equal(3, instances.Count(t => t.State == TaskState.Running));
        Assert.Equal(3, instances.Count(t => t.State == TaskState.Pending));
        Assert.Equal(TaskState.Running, snapshot.Tasks[1].State);

        release.TrySetResult();
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(3, echo.MaxConcurrent);
    }

    [Theory]
    [InlineData("""{"files": []}""", "must be a JSON array, but the value is an object")]
    [InlineData("\"a.jpg\"", "must be a JSON array, but the value is a string")]
    [InlineData("42", "must be a JSON array, but the value is a number")]
    [InlineData("not json", "must be a JSON array, but the value is not JSON: not json")]
    public async Task Run_OverThatIsNotAnArray_FailsTheTaskNamingTheType(string output, string expected)
    {
        await using var h = Harness(2, new EchoHandler());

        var run = await h.RunAsync(EngineHarness.Flow(List(output), Convert(), Def("report", "x", "convert")));

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(TaskState.Failed, run.Tasks[1].State);
        Assert.Contains(expected, run.Tasks[1].Error);
        Assert.StartsWith("map over '{{ tasks.list.output }}'", run.Tasks[1].Error);
        Assert.Equal(TaskState.UpstreamFailed, run.Tasks[2].State);
        Assert.Equal(3, run.Tasks.Count);
    }

    [Fact]
    public async Task Run_OverAboveTheMaximum_FailsTheTaskNamingTheSize()
    {
        await using var h = Harness(2, new EchoHandler(), o => o.MaxMapItems = 3);

        var run = await h.RunAsync(EngineHarness.Flow(List("[1,2,3,4,5]"), Convert()));

        Assert.Equal(TaskState.Failed, run.Tasks[1].State);
        Assert.Equal(
            "map over '{{ tasks.list.output }}' has 5 elements, more than the maximum of 3 (WeftOptions.MaxMapItems, config key maxMapItems)",
            run.Tasks[1].Error);
    }

    [Fact]
    public async Task Run_CachedMap_SecondRunReusesEachInstancesOutput_AndANewElementRuns()
    {
        var echo = new EchoHandler();
        await using var h = Harness(2, echo);
        var convert = Convert() with { Cache = CachePolicy.Default };

        await h.RunAsync(EngineHarness.Flow(List("""["a", "b"]"""), convert));
        var again = await h.RunAsync(EngineHarness.Flow(List("""["a", "b", "c"]"""), convert));

        var byId = again.Tasks.ToDictionary(t => t.TaskId);
        Assert.Equal(TaskState.Cached, byId["convert[0]"].State);
        Assert.Equal(TaskState.Cached, byId["convert[1]"].State);
        Assert.Equal(TaskState.Succeeded, byId["convert[2]"].State);
        Assert.Equal(TaskState.Succeeded, byId["convert"].State);
        Assert.Equal("""["0:a","1:b","2:c"]""", byId["convert"].Output);
        Assert.Equal(1, echo.Started.Count(s => s.TaskId == "convert[0]"));
        Assert.Equal(1, echo.Started.Count(s => s.TaskId == "convert[2]"));
    }

    [Fact]
    public async Task Cancel_MidMap_CancelsPendingInstancesAndEndsTheRun()
    {
        var echo = new EchoHandler();
        echo.On("convert[0]", async inv =>
        {
            await Task.Delay(Timeout.Infinite, inv.CancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            return TaskOutcome.Cancelled();
        });
        await using var h = Harness(2, echo);
        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(List("[1,2,3,4]"), Convert(maxParallel: 1), Def("report", "x", "convert")));
        await EngineHarness.WaitUntilAsync(() => echo.Running == 1 && echo.Started.Count == 2);

        await h.Engine.CancelAsync(handle.RunId);
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Cancelled, run.State);
        Assert.Equal(TaskState.Cancelled, run.Tasks[1].State);
        Assert.All(run.Tasks.Skip(3), t => Assert.Equal(TaskState.Cancelled, t.State));
    }
}
