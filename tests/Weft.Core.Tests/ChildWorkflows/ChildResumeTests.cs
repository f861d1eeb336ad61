using Microsoft.Extensions.Time.Testing;
using Weft.Definitions;
using Weft.Execution;
using Weft.Storage;
using Weft.Tests.Mapping;
using Weft.Tests.Recovery;
using Weft.Tests.Scheduling;

namespace Weft.Tests.ChildWorkflows;

/// <summary>A workflow task's attempt is durable with its child: the engine that resumes the parent after
/// a crash re-attaches to the same child run (resuming it too) instead of starting a second one.</summary>
public sealed class ChildResumeTests
{
    private static readonly WorkflowDefinition Inner = ChildHarness.Parse("""
        name: inner
        tasks:
          work: { echo: worked }
        """);

    private static readonly WorkflowDefinition Outer = new("outer",
    [
        new TaskDefinition("sub", new ChildWorkflowSpec("inner.yaml") { Definition = Inner }),
        EchoHandler.Def("after", "after {{ tasks.sub.output.work }}", "sub"),
    ]);

    private static WeftEngine Engine(IWeftStore store, FakeTimeProvider clock, EchoHandler echo) =>
        WeftEngine.Create(o =>
        {
            o.Store = store;
            o.TimeProvider = clock;
            o.Workers = 2;
            o.Handlers.Add(echo);
        });

    [Fact]
    public async Task AResumedParent_ReattachesToItsChildRun_AndStartsNoSecondOne()
    {
        var shared = new MemoryStore();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var crashing = new CrashableStore(shared);
        var held = new EchoHandler { Hold = true };
        string runId;
        string childId;
        await using (var first = Engine(crashing, clock, held))
        {
            runId = (await first.SubmitAsync(Outer)).RunId;
            await EngineHarness.WaitUntilAsync(() => held.Running == 1);
            childId = Assert.Single(await shared.ListRunsAsync(new RunQuery { ParentRunId = runId })).RunId;
            await EngineHarness.WaitUntilAsync(async () => (await shared.GetRunAsync(childId))?.Tasks[0].State == TaskState.Running);
            crashing.Crash();
        }

        Assert.Equal(TaskState.Waiting, (await shared.GetRunAsync(runId))!.Tasks[0].State);
        Assert.Equal($"child run {childId} (inner.yaml)", (await shared.GetRunAsync(runId))!.Tasks[0].WaitReason);

        var echo = new EchoHandler();
        await using var second = Engine(new CrashableStore(shared), clock, echo);
        var handle = await second.ResumeAsync(runId);
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        var sub = run.Tasks.Single(t => t.TaskId == "sub");
        Assert.Equal(1, sub.Attempts);
        Assert.Equal("""{"work":"worked"}""", sub.Output);
        Assert.Equal("after worked", run.Tasks.Single(t => t.TaskId == "after").Output);
        var child = Assert.Single(await shared.ListRunsAsync(new RunQuery { ParentRunId = runId }));
        Assert.Equal(childId, child.RunId);
        Assert.Equal(RunState.Succeeded, child.State);
        var work = (await shared.GetRunAsync(childId))!.Tasks[0];
        Assert.Equal([TaskOutcomeStatus.Interrupted, TaskOutcomeStatus.Succeeded], work.AttemptHistory.Select(a => a.Outcome!.Value));
    }

    [Fact]
    public async Task AChildThatEndedWhileItsParentWasDown_SettlesTheParentTaskFromItsRecord()
    {
        var shared = new MemoryStore();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var crashing = new CrashableStore(shared);
        var held = new EchoHandler { Hold = true };
        string runId;
        string childId;
        await using (var first = Engine(crashing, clock, held))
        {
            runId = (await first.SubmitAsync(Outer)).RunId;
            await EngineHarness.WaitUntilAsync(() => held.Running == 1);
            childId = Assert.Single(await shared.ListRunsAsync(new RunQuery { ParentRunId = runId })).RunId;
            crashing.Crash();
        }

        // Another process finished the child meanwhile (as `weft runs resume CHILD` would).
        await using (var other = Engine(new CrashableStore(shared), clock, new EchoHandler()))
        {
            Assert.Equal(RunState.Succeeded, (await (await other.ResumeAsync(childId)).WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);
        }

        await using var second = Engine(new CrashableStore(shared), clock, new EchoHandler());
        var run = await (await second.ResumeAsync(runId)).WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal("""{"work":"worked"}""", run.Tasks.Single(t => t.TaskId == "sub").Output);
        Assert.Single(await shared.ListRunsAsync(new RunQuery { ParentRunId = runId }));
    }
}
