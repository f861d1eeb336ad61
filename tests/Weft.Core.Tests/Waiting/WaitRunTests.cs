using Weft.Definitions;
using Weft.Tests.Definitions;
using Weft.Tests.Mapping;
using Weft.Tests.Scheduling;

namespace Weft.Tests.Waiting;

/// <summary>Waits in a running engine on a fake clock: a signal ends a wait with its data, a reject
/// fails it, a timeout or a time ends it, and a waiting task holds no slot.</summary>
public sealed class WaitRunTests
{
    private static WorkflowDefinition Parse(string yaml) => WorkflowLoader.Parse(Loading.Text(yaml), "flow.yaml", new WorkflowLoadOptions { ExtraKinds = ["echo"] });

    private static readonly WorkflowDefinition Approval = Parse("""
        name: deploy
        tasks:
          approve:
            wait: { signal: approval, timeout: 72h }
          deploy:
            dependsOn: approve
            echo: "deploying {{ tasks.approve.output.version }}"
        """);

    private static (EngineHarness Harness, EchoHandler Echo) Start(int workers = 2)
    {
        var echo = new EchoHandler();
        return (new EngineHarness(workers, o => o.Handlers.Add(echo)), echo);
    }

    private static async Task<RunSnapshot> WaitingAsync(WeftEngine engine, string runId, string taskId)
    {
        await EngineHarness.WaitUntilAsync(() => engine.GetRun(runId)?.Tasks.Single(t => t.TaskId == taskId).State == TaskState.Waiting);
        return engine.GetRun(runId)!;
    }

    [Fact]
    public async Task Signal_EndsTheWaitWithItsData_WhichDownstreamReads()
    {
        var (h, _) = Start();
        await using var _h = h;
        var handle = await h.Engine.SubmitAsync(Approval);
        var waiting = await WaitingAsync(h.Engine, handle.RunId, "approve");
        var approve = waiting.Tasks.Single(t => t.TaskId == "approve");
        Assert.Equal("waits for signal 'approval', at most until 2026-01-04 00:00:00Z", approve.WaitReason);

        var sent = await h.Engine.SignalAsync(new TaskSignal(handle.RunId, "approve") { Data = """{"version":"1.4.2"}""", Origin = "cli ada@laptop" });
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal("deploying 1.4.2", run.Tasks.Single(t => t.TaskId == "deploy").Output);
        var attempt = Assert.Single(run.Tasks.Single(t => t.TaskId == "approve").AttemptHistory);
        Assert.Equal("signal from cli ada@laptop", attempt.Worker);
        Assert.Equal(h.Clock.GetUtcNow(), sent.SentAt);
    }

    [Fact]
    public async Task Reject_FailsTheTask_AndDownstreamIsUpstreamFailed()
    {
        var (h, _) = Start();
        await using var _h = h;
        var handle = await h.Engine.SubmitAsync(Approval);
        await WaitingAsync(h.Engine, handle.RunId, "approve");

        await h.Engine.SignalAsync(new TaskSignal(handle.RunId, "approve") { Reject = true, Origin = "dashboard 10.0.0.7" });
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Failed, run.State);
        var approve = run.Tasks.Single(t => t.TaskId == "approve");
        Assert.Equal(TaskState.Failed, approve.State);
        Assert.Equal("rejected by dashboard 10.0.0.7 at 2026-01-01 00:00:00Z", approve.Error);
        Assert.Equal(TaskState.UpstreamFailed, run.Tasks.Single(t => t.TaskId == "deploy").State);
    }

    [Fact]
    public async Task SignalToATaskThatIsNotWaiting_IsAnErrorNamingItsState_AndChangesNothing()
    {
        var (h, echo) = Start();
        await using var _h = h;
        echo.Hold = true;
        var flow = Parse("""
            name: two
            tasks:
              work: { echo: hi }
              approve: { wait: { signal: go }, dependsOn: work }
            """);
        var handle = await h.Engine.SubmitAsync(flow);
        await EngineHarness.WaitUntilAsync(() => echo.Running == 1);

        var notWaiting = await Assert.ThrowsAsync<WeftTaskNotWaitingException>(() => h.Engine.SignalAsync(new TaskSignal(handle.RunId, "approve")).AsTask());
        Assert.Equal($"task 'approve' of run '{handle.RunId}' is pending, not waiting; only a waiting task takes a signal", notWaiting.Message);
        var running = await Assert.ThrowsAsync<WeftTaskNotWaitingException>(() => h.Engine.SignalAsync(new TaskSignal(handle.RunId, "work")).AsTask());
        Assert.Equal(TaskState.Running, running.State);
        var unknown = await Assert.ThrowsAsync<KeyNotFoundException>(() => h.Engine.SignalAsync(new TaskSignal(handle.RunId, "aprove")).AsTask());
        Assert.Contains("has no task 'aprove'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("approve", unknown.Message.Replace("'aprove'", "", StringComparison.Ordinal), StringComparison.Ordinal);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => h.Engine.SignalAsync(new TaskSignal("no-such-run", "approve")).AsTask());

        echo.Gate.SetResult();
        await WaitingAsync(h.Engine, handle.RunId, "approve");
        await h.Engine.SignalAsync(new TaskSignal(handle.RunId, "approve"));
        Assert.Equal(RunState.Succeeded, (await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);
    }

    [Fact]
    public async Task AWaitingTask_HoldsNoSlot()
    {
        var (h, echo) = Start(workers: 1);
        await using var _h = h;
        var flow = Parse("""
            name: busy
            maxParallel: 1
            tasks:
              approve: { wait: { signal: go } }
              a: { echo: a }
              b: { echo: b }
              c: { echo: c }
            """);
        var handle = await h.Engine.SubmitAsync(flow);

        await EngineHarness.WaitUntilAsync(() => h.Engine.GetRun(handle.RunId)!.Tasks.Count(t => t.State == TaskState.Succeeded) == 3);
        Assert.Equal(TaskState.Waiting, h.Engine.GetRun(handle.RunId)!.Tasks.Single(t => t.TaskId == "approve").State);
        Assert.Equal(0, h.Engine.GetStatus().SlotsBusy);

        await h.Engine.SignalAsync(new TaskSignal(handle.RunId, "approve"));
        Assert.Equal(RunState.Succeeded, (await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);
    }

    [Fact]
    public async Task Timeout_FailsTheTaskTimedOut_OrSucceedsWhenAskedTo()
    {
        var (h, _) = Start();
        await using var _h = h;
        var flow = Parse("""
            name: timeouts
            tasks:
              strict: { wait: { signal: go, timeout: 3m } }
              lenient: { wait: { signal: go, timeout: 1m, onTimeout: succeed } }
            """);
        var handle = await h.Engine.SubmitAsync(flow);
        await WaitingAsync(h.Engine, handle.RunId, "strict");
        await WaitingAsync(h.Engine, handle.RunId, "lenient");

        h.Clock.Advance(TimeSpan.FromMinutes(1));
        await EngineHarness.WaitUntilAsync(() => h.Engine.GetRun(handle.RunId)!.Tasks.Single(t => t.TaskId == "lenient").State == TaskState.Succeeded);
        h.Clock.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(TaskState.Waiting, h.Engine.GetRun(handle.RunId)!.Tasks.Single(t => t.TaskId == "strict").State);
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        var strict = run.Tasks.Single(t => t.TaskId == "strict");
        Assert.Equal(TaskState.TimedOut, strict.State);
        Assert.Equal("timed out after 3m waiting for signal 'go'", strict.Error);
        Assert.Equal(RunState.Failed, run.State);
    }

    [Fact]
    public async Task Until_IsADurableTimer_AndAPastTimeEndsAtOnce_AndABadValueFailsNamingIt()
    {
        var (h, _) = Start();
        await using var _h = h;
        var flow = Parse("""
            name: night
            params:
              at: {}
            tasks:
              window: { wait: { until: "{{ params.at }}" } }
              run: { echo: go, dependsOn: window }
            """);
        var handle = await h.Engine.SubmitAsync(flow, new Dictionary<string, string> { ["at"] = "2026-01-01T01:00:00Z" });
        await WaitingAsync(h.Engine, handle.RunId, "window");
        h.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(TaskState.Waiting, h.Engine.GetRun(handle.RunId)!.Tasks.Single(t => t.TaskId == "window").State);
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(RunState.Succeeded, (await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);

        var past = await h.RunAsync(flow, new Dictionary<string, string> { ["at"] = "2025-12-31T00:00:00+01:00" });
        Assert.Equal(RunState.Succeeded, past.State);

        var bad = await h.RunAsync(flow, new Dictionary<string, string> { ["at"] = "tonight" });
        Assert.Equal("wait until '{{ params.at }}': 'tonight' is not a point in time (ISO 8601, e.g. 2026-12-03T22:00:00Z)",
            bad.Tasks.Single(t => t.TaskId == "window").Error);
    }

    [Fact]
    public async Task Cancel_EndsAWaitAtOnce()
    {
        var (h, _) = Start();
        await using var _h = h;
        var handle = await h.Engine.SubmitAsync(Parse("""
            name: deploy
            tasks:
              approve: { wait: { signal: approval, timeout: 2m } }
            """));
        await WaitingAsync(h.Engine, handle.RunId, "approve");

        await h.Engine.CancelAsync(handle.RunId);
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Cancelled, run.State);
        Assert.Equal(TaskState.Cancelled, run.Tasks.Single(t => t.TaskId == "approve").State);
        h.Clock.Advance(TimeSpan.FromMinutes(3)); // past the timeout: its timer is gone, nothing changes
        Assert.Equal(TaskState.Cancelled, h.Engine.GetRun(handle.RunId)!.Tasks.Single(t => t.TaskId == "approve").State);
    }

    [Fact]
    public async Task TheExample_WaitsForItsApproval_ThenItsWindow_ThenDeploys()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Weft.slnx")))
        {
            dir = dir.Parent;
        }

        var example = WorkflowLoader.LoadFile(Path.Combine(dir!.FullName, "examples", "approval.yaml"), null, out var warnings);
        Assert.Empty(warnings);
        var (h, _) = Start();
        await using var _h = h;
        var handle = await h.Engine.SubmitAsync(example, new Dictionary<string, string> { ["window_start"] = "2026-01-01T02:00:00Z" });
        await WaitingAsync(h.Engine, handle.RunId, "approve");
        await h.Engine.SignalAsync(new TaskSignal(handle.RunId, "approve") { Data = """{"version":"1.4.2"}""" });
        await WaitingAsync(h.Engine, handle.RunId, "night");
        h.Clock.Advance(TimeSpan.FromHours(2));
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal("deploying 1.4.2", run.Tasks.Single(t => t.TaskId == "deploy").Output);
    }
}
