using Weft.Tests.Scheduling;
using static Weft.Tests.ChildWorkflows.ChildHarness;

namespace Weft.Tests.ChildWorkflows;

/// <summary>Cancelling either side cancels the other: a cancelled parent run cancels its running child
/// runs, and a cancelled child run cancels the parent task, whose children then follow their trigger rules.</summary>
public sealed class ChildCancelTests
{
    private const string Slow = """
        name: slow
        tasks:
          work: { echo: done }
        """;

    private static readonly Weft.Definitions.WorkflowDefinition Parent = Parse("""
        name: outer
        tasks:
          sub: { workflow: slow }
          after: { echo: after, dependsOn: sub }
          cleanup: { echo: cleaned, dependsOn: sub, trigger: all_done }
        """);

    [Fact]
    public async Task CancellingTheParentRun_CancelsItsRunningChildRun()
    {
        await using var h = new ChildHarness();
        await h.RegisterAsync(Slow);
        h.Echo.Hold = true;
        var handle = await h.Engine.SubmitAsync(Parent);
        var child = await h.ChildOfAsync(handle.RunId);
        await EngineHarness.WaitUntilAsync(() => h.Echo.Running == 1);

        Assert.True(await handle.CancelAsync());
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Cancelled, run.State);
        var sub = Task(run, "sub");
        Assert.Equal(TaskState.Cancelled, sub.State);
        Assert.Equal($"cancelled with its run; child run {child.RunId} is cancelled too", sub.Error);
        await EngineHarness.WaitUntilAsync(async () => (await h.Engine.Store.GetRunAsync(child.RunId))!.State == RunState.Cancelled);
        Assert.Equal(TaskState.Cancelled, (await h.Engine.Store.GetRunAsync(child.RunId))!.Tasks[0].State);
    }

    [Fact]
    public async Task CancellingTheChildRun_CancelsTheParentTask_AndTriggerRulesDecideTheRest()
    {
        await using var h = new ChildHarness();
        await h.RegisterAsync(Slow);
        h.Echo.Hold = true;
        var handle = await h.Engine.SubmitAsync(Parent);
        var child = await h.ChildOfAsync(handle.RunId);
        await EngineHarness.WaitUntilAsync(() => h.Echo.Running == 1);
        var waiting = Task(h.Engine.GetRun(handle.RunId)!, "sub");
        Assert.Equal(TaskState.Waiting, waiting.State);
        Assert.Equal($"child run {child.RunId} (slow)", waiting.WaitReason);

        Assert.True(await h.Engine.CancelAsync(child.RunId));
        h.Echo.Gate.SetResult();
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Failed, run.State);
        var sub = Task(run, "sub");
        Assert.Equal(TaskState.Cancelled, sub.State);
        Assert.Equal($"child run {child.RunId} of workflow 'slow' cancelled: work (cancelled: cancelled)", sub.Error);
        Assert.Equal(TaskState.UpstreamFailed, Task(run, "after").State);
        Assert.Equal("cleaned", Task(run, "cleanup").Output);
    }

    [Fact]
    public async Task ASignalToAWorkflowTask_IsRefusedNamingItsChildRun_InTheEngineAndThroughTheStore()
    {
        // A durable store, so the task's waiting state is recorded for the store's check to read.
        await using var h = new ChildHarness(configure: o => o.Store = new Recovery.CrashableStore(new Storage.MemoryStore()));
        await h.RegisterAsync(Slow);
        h.Echo.Hold = true;
        var handle = await h.Engine.SubmitAsync(Parent);
        var child = await h.ChildOfAsync(handle.RunId);
        await EngineHarness.WaitUntilAsync(() => h.Echo.Running == 1);

        var live = await Assert.ThrowsAsync<WeftTaskNotWaitingException>(() => h.Engine.SignalAsync(new TaskSignal(handle.RunId, "sub")).AsTask());
        await EngineHarness.WaitUntilAsync(async () => (await h.Engine.Store.GetRunAsync(handle.RunId))?.Tasks[0].State == TaskState.Waiting);
        var stored = await Assert.ThrowsAsync<WeftTaskNotWaitingException>(() =>
            Weft.Waiting.SignalSender.RecordAsync(h.Engine.Store, new TaskSignal(handle.RunId, "sub"), CancellationToken.None).AsTask());

        var expected = $"task 'sub' of run '{handle.RunId}' runs a child workflow (child run {child.RunId} (slow)) and ends with it, not with a signal; signal the child run's waiting task instead";
        Assert.Equal(expected, live.Message);
        Assert.Equal(expected, stored.Message);
        h.Echo.Gate.SetResult();
        Assert.Equal(RunState.Succeeded, (await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);
    }
}
