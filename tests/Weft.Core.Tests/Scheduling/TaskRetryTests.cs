using Weft.Execution;
using Weft.Storage;
using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.Scheduling;

/// <summary><see cref="WeftEngine.RetryTasksAsync"/>: a failed task and what depends on it run again,
/// everything else keeps what it had.</summary>
public sealed class TaskRetryTests
{
    // extract → load → report, and beside them `mail`, which fails on its own.
    private static Weft.Definitions.WorkflowDefinition Pipeline() =>
        EngineHarness.Flow(Def("extract"), Def("load", "extract"), Def("report", "load"), Def("mail"));

    [Fact]
    public async Task RetryTasksAsync_FailedTask_RunsItAndItsDependentsAgainAndKeepsTheRest()
    {
        await using var h = new EngineHarness(2);
        h.Script.Outcomes("extract", TaskOutcome.Succeeded("rows"));
        var loads = 0;
        h.Script.On("load", inv => new(Interlocked.Increment(ref loads) == 1
            ? TaskOutcome.Failed("db down")
            : TaskOutcome.Succeeded("loaded " + inv.Render("{{ tasks.extract.output }}"))));
        h.Script.On("mail", _ => new(TaskOutcome.Failed("smtp refused")));
        var first = await h.RunAsync(Pipeline());
        Assert.Equal(TaskState.UpstreamFailed, first.Tasks.Single(t => t.TaskId == "report").State);

        var handle = await h.Engine.RetryTasksAsync(first.RunId, ["load"]);
        var retry = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        var s = retry.Tasks.ToDictionary(t => t.TaskId);
        Assert.Equal(TaskState.Cached, s["extract"].State);
        Assert.Equal("rows", s["extract"].Output);
        Assert.Equal(TaskState.Succeeded, s["load"].State);
        Assert.Equal("loaded rows", s["load"].Output);
        Assert.Equal(TaskState.Succeeded, s["report"].State);
        // Not chosen and not downstream of `load`: it keeps its failure (and does not run).
        Assert.Equal(TaskState.Failed, s["mail"].State);
        Assert.Contains("smtp refused", s["mail"].Error);
        Assert.Equal(RunState.Failed, retry.State);
        Assert.Equal(1, h.Script.StartOrder.Count(t => t == "mail"));
        Assert.Equal(1, h.Script.StartOrder.Count(t => t == "extract"));
        Assert.Equal(1, h.Script.StartOrder.Count(t => t == "report"));

        var stored = await h.Engine.Store.GetRunAsync(retry.RunId);
        Assert.Equal($"retry of {first.RunId} (task load)", stored!.TriggeredBy);
    }

    [Fact]
    public async Task RetryTasksAsync_EveryFailedTaskChosen_EndsSucceeded()
    {
        await using var h = new EngineHarness(2);
        var calls = 0;
        h.Script.On("mail", _ => new(Interlocked.Increment(ref calls) == 1 ? TaskOutcome.Failed("smtp refused") : TaskOutcome.Success));
        h.Script.On("load", _ => new(TaskOutcome.Success));
        var first = await h.RunAsync(Pipeline());
        Assert.Equal(RunState.Failed, first.State);

        var retry = await (await h.Engine.RetryTasksAsync(first.RunId, ["mail"])).WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Succeeded, retry.State);
        Assert.Equal(TaskState.Succeeded, retry.Tasks.Single(t => t.TaskId == "mail").State);
        Assert.All(retry.Tasks.Where(t => t.TaskId != "mail"), t => Assert.Equal(TaskState.Cached, t.State));
    }

    [Fact]
    public async Task RetryTasksAsync_UpstreamFailedTaskWhoseParentStillFailed_FailsUpstreamAgainWithoutRunning()
    {
        await using var h = new EngineHarness(1);
        h.Script.On("load", _ => new(TaskOutcome.Failed("db down")));
        var first = await h.RunAsync(Pipeline());

        var retry = await (await h.Engine.RetryTasksAsync(first.RunId, ["report"])).WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(TaskState.UpstreamFailed, retry.Tasks.Single(t => t.TaskId == "report").State);
        Assert.Equal(TaskState.Failed, retry.Tasks.Single(t => t.TaskId == "load").State);
        Assert.Equal(1, h.Script.StartOrder.Count(t => t == "load"));
    }

    [Theory]
    [InlineData("extract", TaskState.Succeeded, "is succeeded; only a failed")]
    [InlineData("nope", null, "has no task 'nope' (its tasks: extract, load, report, mail)")]
    public async Task RetryTasksAsync_TaskThatDidNotFail_IsRefusedNamingItAndStoresNothing(string task, TaskState? state, string message)
    {
        await using var h = new EngineHarness(1);
        h.Script.On("load", _ => new(TaskOutcome.Failed("db down")));
        var first = await h.RunAsync(Pipeline());
        var before = await h.Engine.Store.ListRunsAsync(new RunQuery());

        var refused = await Assert.ThrowsAsync<WeftTaskRetryException>(async () => await h.Engine.RetryTasksAsync(first.RunId, ["load", task]));

        Assert.Equal(task, refused.TaskId);
        Assert.Equal(state, refused.TaskState);
        Assert.Contains(message, refused.Message);
        Assert.Contains(first.RunId, refused.Message);
        Assert.Equal(before.Count, (await h.Engine.Store.ListRunsAsync(new RunQuery())).Count);
    }

    [Fact]
    public async Task RetryTasksAsync_RunStillRunning_IsRefused()
    {
        await using var h = new EngineHarness(1);
        h.Script.BlockUntilCancelled("extract");
        var handle = await h.Engine.SubmitAsync(Pipeline());
        await h.WaitForEventAsync(handle.RunId, e => e.Kind == RunEventKind.TaskStarted && e.TaskId == "extract");

        var refused = await Assert.ThrowsAsync<WeftTaskRetryException>(async () => await h.Engine.RetryTasksAsync(handle.RunId, ["load"]));

        Assert.Null(refused.TaskId);
        Assert.Contains("is running; a task can be retried only once its run has finished", refused.Message);
        await h.Engine.CancelAsync(handle.RunId);
    }
}
