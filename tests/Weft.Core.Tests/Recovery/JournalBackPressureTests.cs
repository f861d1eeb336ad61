using Weft.Definitions;
using Weft.Storage;
using Weft.Tests.Doubles;
using Weft.Tests.Scheduling;
using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.Recovery;

/// <summary>The journal's back pressure: when the store commits more slowly than the slots finish
/// tasks, no task starts once the changes waiting for a commit reach the limit, and dispatch goes on
/// when the writer takes them into a commit. Without it a million-task run on SQLite held gigabytes of
/// uncommitted changes. Nothing here waits on time: a store that holds its commits stands for a slow disk.</summary>
public sealed class JournalBackPressureTests
{
    private const int Limit = 40;
    private const int Workers = 1;
    private const int SlotQueue = 4;

    // The backlog passes the limit only by what tasks already started add: the start that reached it
    // (2 changes), the ends of the tasks handed out in that step (2 each: at most a slot's queue and
    // the task it runs, per slot), and the run's end.
    private const int Slack = 2 + (2 * Workers * (SlotQueue + 1)) + 1;

    private static WeftEngine Engine(IWeftStore store, ScriptedHandler script, int journalLimit = Limit, int workers = Workers) => WeftEngine.Create(o =>
    {
        o.Workers = workers;
        o.Pool.SlotQueueCapacity = SlotQueue;
        o.Store = store;
        o.Handlers.Add(script);
        o.JournalLimit = journalLimit;
    });

    private static WorkflowDefinition Independent(int n) =>
        EngineHarness.Flow([.. Enumerable.Range(0, n).Select(i => Def($"t{i}"))]);

    // Layers of tasks, each depending on every task of the layer before: a start recorded without its
    // parents' completions would show at once.
    private static WorkflowDefinition Layered(int layers, int width) => EngineHarness.Flow([.. Enumerable.Range(0, layers * width).Select(i =>
        Def($"l{i / width}-{i % width}", [.. (i / width == 0 ? [] : Enumerable.Range(0, width).Select(p => $"l{(i / width) - 1}-{p}"))]))]);

    // Dispatch stopped for the journal: every started task has reported, some are still waiting, and the
    // slot has parked (it reports and dispatches in one locked step, so the status never sees this otherwise).
    private static bool Stalled(EngineStatus s) => s.SlotsBusy == 0 && s.TasksSucceeded > 0 && s.QueuedTotal > 0;

    [Fact]
    public async Task CommitsHeld_DispatchStopsAtTheLimit_AndEveryTaskFinishesOnceCommitsFlow()
    {
        const int Tasks = 200;
        var store = new HeldCommitStore(new MemoryStore());
        store.Hold();
        var script = new ScriptedHandler();
        await using var engine = Engine(store, script);

        var handle = await engine.SubmitAsync(Independent(Tasks));
        await EngineHarness.WaitUntilAsync(() => Stalled(engine.GetStatus()) || engine.GetStatus().TasksSucceeded == Tasks);

        // With the disk not keeping up, the slots stop instead of running the whole run into memory.
        var status = engine.GetStatus();
        Assert.True(status.QueuedTotal > 0, $"all {status.TasksSucceeded} tasks ran while the first commit was held");
        // Each start adds two changes, to the held batch or to the journal behind it, and neither passes the limit.
        Assert.True(script.StartOrder.Count <= Limit + Slack, $"{script.StartOrder.Count} tasks started with no commit done");
        Assert.Single(store.Batches);

        store.Release();
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.All(run.Tasks, t => Assert.Equal(TaskState.Succeeded, t.State));
        Assert.Equal(Tasks, script.StartOrder.Distinct().Count());
        var stored = await store.Inner.GetRunAsync(handle.RunId);
        Assert.Equal(RunState.Succeeded, stored!.State);
        Assert.All(stored.Tasks, t => Assert.Equal(TaskState.Succeeded, t.State));
        Assert.All(store.Batches, b => Assert.InRange(b, 1, Limit + Slack));
    }

    [Fact]
    public async Task RunSubmittedWhileTheJournalIsFullAndEverySlotIsParked_StartsOnceTheWriterTakesTheBacklog()
    {
        // Ten thousand runs submitted at once on SQLite (weft bench MANY) hung with 3,539 runs never started:
        // their starts were journaled while the backlog was full and both slots were parked, so no start was
        // refused (which is what asks the writer to wake the slots) and nothing woke them after the commit.
        var store = new HeldCommitStore(new MemoryStore());
        store.Hold();
        var script = new ScriptedHandler();
        await using var engine = Engine(store, script, journalLimit: 1, workers: 2);

        var first = await engine.SubmitAsync(Independent(1));
        // The first run's task ran; its changes wait behind the held commit (the journal is full) and both
        // slots have parked with nothing ready.
        await EngineHarness.WaitUntilAsync(() => engine.GetStatus() is { TasksSucceeded: 1, SlotsBusy: 0, QueuedTotal: 0 });
        var second = await engine.SubmitAsync(Independent(3));
        store.Release();
        var run = await second.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(RunState.Succeeded, (await first.WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);
        Assert.Equal(4, script.StartOrder.Count);
    }

    [Fact]
    public async Task SlowStore_EveryCommittedBatchLeavesAConsistentPast_AndNoBatchPassesTheLimit()
    {
        var flow = Layered(layers: 6, width: 8);
        string? runId = null;
        var store = new HeldCommitStore(new MemoryStore());
        store.AfterCommit = async inner => runId is null ? null : Inconsistency(flow, await inner.GetRunAsync(runId));
        store.Hold();
        var script = new ScriptedHandler();
        await using var engine = Engine(store, script, journalLimit: 12, workers: 2);

        var handle = await engine.SubmitAsync(flow);
        runId = handle.RunId;
        store.Release();
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Empty(store.Violations);
        Assert.All(store.Batches, b => Assert.InRange(b, 1, 12 + 2 + (2 * 2 * (SlotQueue + 1)) + 1));
        Assert.True(store.Batches.Count > 48 * 4 / 40, $"only {store.Batches.Count} commits for {48 * 4} changes");
    }

    [Fact]
    public async Task CrashWhileDispatchIsHeldBack_ResumeFinishesEveryTask()
    {
        var shared = new MemoryStore();
        var flow = Layered(layers: 5, width: 10);
        var first = new HeldCommitStore(shared);
        var before = new ScriptedHandler();
        before.On("l2-0", _ =>
        {
            first.Hold(); // the disk stops keeping up halfway through the run
            return ValueTask.FromResult(Execution.TaskOutcome.Succeeded());
        });
        string runId;
        await using (var engine = Engine(first, before, journalLimit: 12))
        {
            var handle = await engine.SubmitAsync(flow);
            runId = handle.RunId;
            await EngineHarness.WaitUntilAsync(() => Stalled(engine.GetStatus()));
            first.Crash();
        }

        var stored = await shared.GetRunAsync(runId);
        Assert.Null(Inconsistency(flow, stored));
        Assert.Contains(stored!.Tasks, t => t.State != TaskState.Succeeded);

        var after = new ScriptedHandler();
        await using var second = Engine(new HeldCommitStore(shared), after, journalLimit: 12);
        var run = await (await second.ResumeAsync(runId)).WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.All(run.Tasks, t => Assert.Equal(TaskState.Succeeded, t.State));
        Assert.Equal(RunState.Succeeded, (await shared.GetRunAsync(runId))!.State);
        // What the store held as succeeded did not run again.
        Assert.DoesNotContain(after.StartOrder, id => stored.Tasks.Single(t => t.TaskId == id).State == TaskState.Succeeded);
    }

    // A task recorded as started whose parents are not all recorded succeeded is a past the engine never went through.
    private static string? Inconsistency(WorkflowDefinition flow, RunSnapshot? stored)
    {
        if (stored is null)
        {
            return null;
        }

        var states = stored.Tasks.ToDictionary(t => t.TaskId, t => t);
        foreach (var task in flow.Tasks)
        {
            if (states.TryGetValue(task.Id, out var t) && t.Attempts > 0
                && task.DependsOn.FirstOrDefault(p => !states.TryGetValue(p, out var parent) || parent.State != TaskState.Succeeded) is { } missing)
            {
                return $"task {task.Id} is recorded started, its parent {missing} is not recorded succeeded";
            }
        }

        return null;
    }
}
