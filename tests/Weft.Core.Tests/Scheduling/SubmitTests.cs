using Weft.Definitions;
using Weft.Execution;
using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.Scheduling;

public sealed class SubmitTests
{
    [Fact]
    public async Task SubmitAsync_UnknownAndMissingParameters_ReportsBothAndRecordsNothing()
    {
        await using var h = new EngineHarness(1);
        var flow = EngineHarness.Flow(Def("a")) with { Params = [new ParamDefinition("date") { Required = true }] };

        var ex = await Assert.ThrowsAsync<WeftConfigurationException>(async () =>
            await h.Engine.SubmitAsync(flow, new Dictionary<string, string> { ["dat"] = "x" }));

        Assert.Contains(ex.Errors, e => e.Contains("unknown parameter 'dat'"));
        Assert.Contains(ex.Errors, e => e.Contains("missing required parameter 'date'"));
        Assert.Empty(h.Engine.RunIds());
    }

    [Fact]
    public void Create_BadOptions_ReportsEveryError()
    {
        var ex = Assert.Throws<WeftConfigurationException>(() => WeftEngine.Create(o =>
        {
            o.Workers = 0;
            o.OutputLimitBytes = -1;
        }));

        Assert.Equal(2, ex.Errors.Count);
    }

    [Fact]
    public void Create_BadOrderingOptions_ReportsEveryError()
    {
        var ex = Assert.Throws<WeftConfigurationException>(() => WeftEngine.Create(o =>
        {
            o.Ordering = (QueueOrdering)7;
            o.AgingInterval = TimeSpan.Zero;
            o.DeadlineCriticalWithin = TimeSpan.FromMinutes(5);
        }));

        Assert.Equal(3, ex.Errors.Count);
        Assert.Contains(ex.Errors, e => e.Contains("DeadlineUrgentWithin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SubmitAsync_SecretParameter_IsMaskedInSnapshotsButReachesTheTask()
    {
        await using var h = new EngineHarness(1);
        string? seen = null;
        h.Script.On("a", inv =>
        {
            seen = inv.Render("{{ params.token }}");
            return new(TaskOutcome.Success);
        });
        var flow = EngineHarness.Flow(Def("a")) with { Params = [new ParamDefinition("token") { Secret = true }] };

        var run = await h.RunAsync(flow, new Dictionary<string, string> { ["token"] = "s3cret" });

        Assert.Equal("s3cret", seen);
        Assert.Equal("***", run.Params["token"]);
    }

    [Fact]
    public async Task Run_TemplateReadsJsonFieldOfUpstreamOutput()
    {
        await using var h = new EngineHarness(2);
        h.Script.Outcomes("extract", TaskOutcome.Succeeded("""{"rows": 42, "meta": {"source": "db"}}"""));
        string? rendered = null;
        h.Script.On("load", inv =>
        {
            rendered = inv.Render("{{ tasks.extract.output.rows }} from {{ tasks.extract.output.meta.source }} in {{ run.id }}");
            return new(TaskOutcome.Success);
        });

        var run = await h.RunAsync(EngineHarness.Flow(Def("extract"), Def("load", "extract")));

        Assert.Equal($"42 from db in {run.RunId}", rendered);
    }

    [Fact]
    public async Task Run_TemplateReadsMissingField_FailsTheTaskWithAClearError()
    {
        await using var h = new EngineHarness(2);
        h.Script.Outcomes("extract", TaskOutcome.Succeeded("not json"));
        h.Script.On("load", inv => new(TaskOutcome.Succeeded(inv.Render("{{ tasks.extract.output.rows }}"))));

        var run = await h.RunAsync(EngineHarness.Flow(Def("extract"), Def("load", "extract")));

        Assert.Equal(TaskState.Failed, run.Tasks[1].State);
        Assert.Contains("output of task 'extract' is not JSON", run.Tasks[1].Error);
    }

    [Fact]
    public async Task WatchAsync_WholeRun_YieldsStartTaskEventsAndFinish()
    {
        await using var h = new EngineHarness(1);
        var gate = new TaskCompletionSource<TaskOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Script.On("a", _ => new(gate.Task));
        var handle = await h.Engine.SubmitAsync(EngineHarness.Flow(Def("a"), Def("b", "a")));

        var events = new List<RunEvent>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in h.Engine.WatchAsync(handle.RunId))
            {
                events.Add(e);
                if (e.Kind == RunEventKind.TaskStarted && e.TaskId == "a")
                {
                    gate.TrySetResult(TaskOutcome.Success);
                }
            }
        });
        await watching.WaitAsync(EngineHarness.HardLimit);

        var kinds = events.Select(e => (e.Kind, e.TaskId)).ToList();
        Assert.Equal((RunEventKind.RunStarted, (string?)null), kinds[0]);
        Assert.Contains((RunEventKind.TaskSucceeded, "a"), kinds);
        Assert.True(kinds.IndexOf((RunEventKind.TaskStarted, "b")) > kinds.IndexOf((RunEventKind.TaskSucceeded, "a")));
        Assert.Equal(RunEventKind.RunFinished, events[^1].Kind);
        Assert.Equal(RunState.Succeeded, events[^1].RunState);
    }

    [Fact]
    public async Task Hooks_RunBeforeAndAfterEveryAttempt()
    {
        var hook = new RecordingHook();
        await using var h = new EngineHarness(1, o => o.Hooks.Add(hook));

        await h.RunAsync(EngineHarness.Flow(Def("a"), Def("b", "a")));

        Assert.Equal(["before a", "after a Succeeded", "before b", "after b Succeeded"], hook.Calls);
    }

    private sealed class RecordingHook : ITaskHook
    {
        public List<string> Calls { get; } = [];

        public ValueTask BeforeAsync(TaskInvocation invocation)
        {
            Calls.Add($"before {invocation.TaskId}");
            return ValueTask.CompletedTask;
        }

        public ValueTask AfterAsync(TaskInvocation invocation, TaskOutcome outcome)
        {
            Calls.Add($"after {invocation.TaskId} {outcome.Status}");
            return ValueTask.CompletedTask;
        }
    }
}
