using System.Collections.Concurrent;
using Weft.Execution;
using Weft.Storage;
using Weft.Tests.Scheduling;
using static Weft.Tests.Scheduling.ScriptedHandler;

namespace Weft.Tests.Recovery;

/// <summary>What the engine does when its durable store stops taking the journal: a failure that
/// will not pass by itself (a full disk) ends the wait for the runs it could not record, with the
/// store's error, at once; a transient one (a database restarting) is retried; and nothing reports a
/// run finished before its end is committed.</summary>
public sealed class StoreFailureTests
{
    private static readonly TimeSpan Limit = EngineHarness.HardLimit;

    private static WeftEngine Engine(IWeftStore store, ScriptedHandler script) => WeftEngine.Create(o =>
    {
        o.Workers = 4;
        o.Store = store;
        o.Handlers.Add(script);
    });

    [Fact]
    public async Task DiskFullMidRun_WaitFailsWithTheStoreError_RunStaysUnfinishedInTheStore_EngineUnhealthyAndRefusesWork()
    {
        var store = new FailingWriteStore(new MemoryStore());
        var script = new ScriptedHandler();
        var firstDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        script.On("a", _ =>
        {
            // The disk fills while the run goes on: every later commit fails.
            store.FailWrites(() => new WeftStoreException("the store at /tmp/x.db failed to write changes: the disk is full"));
            firstDone.TrySetResult();
            return ValueTask.FromResult(TaskOutcome.Succeeded());
        });
        await using var engine = Engine(store, script);
        var flow = EngineHarness.Flow(Def("a"), Def("b", "a"), Def("c", "b"));
        var handle = await engine.SubmitAsync(flow);
        var events = new ConcurrentQueue<RunEvent>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in handle.WatchAsync())
            {
                events.Enqueue(e);
            }
        });

        var failure = await Assert.ThrowsAsync<WeftStoreException>(() => handle.WaitAsync().WaitAsync(Limit));

        Assert.Contains("the disk is full", failure.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<WeftStoreException>(() => watching.WaitAsync(Limit));
        Assert.DoesNotContain(events, e => e.Kind == RunEventKind.RunFinished);
        var recorded = await store.Inner.GetRunAsync(handle.RunId);
        Assert.False(recorded!.State.IsFinal(), $"the store says {recorded.State.ToName()}");
        Assert.Equal([handle.RunId], await store.Inner.ListUnfinishedRunsAsync());
        Assert.Same(failure, engine.StoreFailure);
        var status = engine.GetStatus();
        Assert.Equal(HealthState.Unhealthy, status.Health);
        Assert.Contains(status.Reasons, r => r.Contains("the disk is full", StringComparison.Ordinal));
        var refused = await Assert.ThrowsAsync<WeftStoreException>(async () => await engine.SubmitAsync(flow));
        Assert.Contains("the disk is full", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreFailsWhileATaskRuns_TheTaskIsCancelledAndWaitFailsPromptly()
    {
        var store = new FailingWriteStore(new MemoryStore());
        var script = new ScriptedHandler();
        script.BlockUntilCancelled("long");
        script.On("quick", async _ =>
        {
            await EngineHarness.WaitUntilAsync(() => script.StartOrder.Contains("long"));
            store.FailWrites(() => new IOException("No space left on device"));
            return TaskOutcome.Succeeded();
        });
        await using var engine = Engine(store, script);
        var handle = await engine.SubmitAsync(EngineHarness.Flow(Def("long"), Def("quick"), Def("after", "long")));

        var failure = await Assert.ThrowsAsync<WeftStoreException>(() => handle.WaitAsync().WaitAsync(Limit));

        Assert.Contains("No space left on device", failure.Message, StringComparison.Ordinal);
        await EngineHarness.WaitUntilAsync(() => script.Running == 0);
        Assert.DoesNotContain("after", script.StartOrder);
    }

    [Fact]
    public async Task TransientStoreFailure_IsRetriedAndTheRunSucceeds()
    {
        var store = new FailingWriteStore(new MemoryStore());
        var script = new ScriptedHandler();
        script.On("a", _ =>
        {
            store.FailWrites(() => new WeftStoreException("the server is restarting") { IsTransient = true });
            return ValueTask.FromResult(TaskOutcome.Succeeded());
        });
        await using var engine = Engine(store, script);
        var handle = await engine.SubmitAsync(EngineHarness.Flow(Def("a"), Def("b", "a")));
        await EngineHarness.WaitUntilAsync(() => store.Failures >= 2);
        Assert.Equal("the server is restarting", engine.StoreError);

        store.Heal();
        var run = await handle.WaitAsync().WaitAsync(Limit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(RunState.Succeeded, (await store.Inner.GetRunAsync(handle.RunId))!.State);
        Assert.Null(engine.StoreFailure);
    }

    [Fact]
    public async Task RunFinished_ReachesWatchersOnlyAfterTheRunsEndIsCommitted()
    {
        var store = new FailingWriteStore(new MemoryStore());
        var script = new ScriptedHandler();
        await using var engine = Engine(store, script);
        store.Hold();
        var handle = await engine.SubmitAsync(EngineHarness.Flow(Def("a"), Def("b", "a")));
        var events = new ConcurrentQueue<RunEvent>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in handle.WatchAsync())
            {
                events.Enqueue(e);
            }
        });

        // The run is over in memory, its end not yet committed (the commit waits at the gate).
        await EngineHarness.WaitUntilAsync(() => engine.GetRun(handle.RunId)?.State == RunState.Succeeded);
        await EngineHarness.WaitUntilAsync(() => events.Any(e => e is { Kind: RunEventKind.TaskSucceeded, TaskId: "b" }));
        var late = await CollectForAsync(engine.WatchAsync(handle.RunId), TimeSpan.FromMilliseconds(300));

        Assert.DoesNotContain(events, e => e.Kind == RunEventKind.RunFinished);
        Assert.DoesNotContain(late, e => e.Kind == RunEventKind.RunFinished);
        Assert.False(handle.WaitAsync().IsCompleted);

        store.Release();
        var run = await handle.WaitAsync().WaitAsync(Limit);
        await watching.WaitAsync(Limit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(RunEventKind.RunFinished, events.Last().Kind);
    }

    // What a watcher sees within a window (a negative check: RunFinished must not come).
    private static async Task<List<RunEvent>> CollectForAsync(IAsyncEnumerable<RunEvent> events, TimeSpan window)
    {
        var seen = new List<RunEvent>();
        using var stop = new CancellationTokenSource(window);
        try
        {
            await foreach (var e in events.WithCancellation(stop.Token))
            {
                seen.Add(e);
            }
        }
        catch (OperationCanceledException)
        {
            // The window ended with the stream still open: what we want.
        }

        return seen;
    }
}
