using Weft.Definitions;
using Weft.Execution;
using Weft.Storage;
using Weft.Tests.Scheduling;
using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.Recovery;

public sealed class ResumeTests
{
    private static readonly TimeSpan Limit = EngineHarness.HardLimit;

    private static WeftEngine Engine(IWeftStore store, ScriptedHandler script, TimeProvider? time = null) => WeftEngine.Create(o =>
    {
        o.Workers = 4;
        o.Store = store;
        o.Handlers.Add(script);
        if (time is not null)
        {
            o.TimeProvider = time;
        }
    });

    [Fact]
    public async Task ResumeAsync_AfterCrashMidRun_RerunsOnlyTheInterruptedTaskAndWhatFollows()
    {
        var shared = new MemoryStore();
        var flow = EngineHarness.Flow(Def("a"), Def("b", "a"), Def("c", "b"), Def("d"));
        var before = new ScriptedHandler();
        before.BlockUntilCancelled("b");
        var crashing = new CrashableStore(shared);
        var bStarted = crashing.WhenCommitted(c => c is { Kind: StoreChangeKind.Attempt, TaskId: "b", Outcome: null });
        var dDone = crashing.WhenCommitted(c => c is { Kind: StoreChangeKind.Task, TaskId: "d", TaskState: TaskState.Succeeded });
        string runId;
        await using (var first = Engine(crashing, before))
        {
            runId = (await first.SubmitAsync(flow)).RunId;
            await Task.WhenAll(bStarted, dDone).WaitAsync(Limit);
            crashing.Crash();
        }

        var after = new ScriptedHandler();
        await using var second = Engine(new CrashableStore(shared), after);
        Assert.Equal([runId], await second.FindUnfinishedRunsAsync());

        var run = await (await second.ResumeAsync(runId)).WaitAsync().WaitAsync(Limit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(["b", "c"], after.StartOrder);
        var b = run.Tasks.Single(t => t.TaskId == "b");
        Assert.Equal(2, b.Attempts);
        Assert.Equal(TaskOutcomeStatus.Interrupted, b.AttemptHistory[0].Outcome);
        Assert.Contains("interrupted", b.AttemptHistory[0].Error);
        Assert.Equal(1, run.Tasks.Single(t => t.TaskId == "a").Attempts);
        var stored = await shared.GetRunAsync(runId);
        Assert.Equal(RunState.Succeeded, stored!.State);
    }

    [Fact]
    public async Task ResumeAsync_TaskWaitingToRetry_KeepsItsDueTime()
    {
        var shared = new MemoryStore();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var flow = EngineHarness.Flow(Def("flaky") with { Retry = new RetryPolicy { Strategy = RetryStrategy.Fixed, Delay = TimeSpan.FromMinutes(10), MaxAttempts = 3 } });
        var before = new ScriptedHandler();
        before.Outcomes("flaky", TaskOutcome.Failed("temporary"));
        var crashing = new CrashableStore(shared);
        var retrying = crashing.WhenCommitted(c => c is { Kind: StoreChangeKind.Task, TaskState: TaskState.Retrying });
        string runId;
        await using (var first = Engine(crashing, before, clock))
        {
            runId = (await first.SubmitAsync(flow)).RunId;
            await retrying.WaitAsync(Limit);
            crashing.Crash();
        }

        clock.Advance(TimeSpan.FromMinutes(4));
        var after = new ScriptedHandler();
        var durable = new CrashableStore(shared);
        var requeued = durable.WhenCommitted(c => c is { Kind: StoreChangeKind.Attempt, Attempt: 2 });
        await using var second = Engine(durable, after, clock);
        var handle = await second.ResumeAsync(runId);
        Assert.Equal(TaskState.Retrying, handle.Snapshot().Tasks[0].State);

        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty(after.StartOrder);
        clock.Advance(TimeSpan.FromMinutes(1));
        await requeued.WaitAsync(Limit);

        var run = await handle.WaitAsync().WaitAsync(Limit);
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(2, run.Tasks[0].Attempts);
    }

    [Fact]
    public async Task SubmitAsync_DurableStore_ReportsRunFinishedOnlyOnceRecorded()
    {
        var shared = new MemoryStore();
        var store = new CrashableStore(shared);
        await using var engine = Engine(store, new ScriptedHandler());

        var run = await (await engine.SubmitAsync(EngineHarness.Flow(Def("a"), Def("b", "a")))).WaitAsync().WaitAsync(Limit);

        var recorded = await shared.GetRunAsync(run.RunId);
        Assert.Equal(RunState.Succeeded, recorded!.State);
        Assert.All(recorded.Tasks, t => Assert.Equal(TaskState.Succeeded, t.State));
        Assert.Equal("a", await shared.GetOutputAsync(run.RunId, "a"));
    }

    [Fact]
    public async Task SubmitAsync_DurableStore_BatchesManyTasksIntoFewCommits()
    {
        var store = new CrashableStore(new MemoryStore());
        await using var engine = WeftEngine.Create(o =>
        {
            o.Workers = 2;
            o.Store = store;
        });
        var tasks = Enumerable.Range(0, 5000).Select(i => new TaskDefinition($"t{i}", NoopSpec.Instance)).ToArray();

        var run = await (await engine.SubmitAsync(EngineHarness.Flow(tasks))).WaitAsync().WaitAsync(Limit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.True(store.Writes < 500, $"expected group commits, saw {store.Writes} writes for 5000 tasks");
    }
}
