using Weft.Definitions;
using Weft.Storage;
using Weft.Tests.Definitions;
using Weft.Tests.Recovery;
using Weft.Tests.Scheduling;

namespace Weft.Tests.Waiting;

/// <summary>Waits are durable: a process that stops during a wait leaves it waiting in the store, the
/// one that resumes the run waits only for the time left, and a signal recorded in the store by another
/// process (as <c>weft runs signal --store</c> does) reaches the run's engine at its next look.</summary>
public sealed class WaitResumeTests
{
    private static readonly WorkflowDefinition Flow = WorkflowLoader.Parse(Loading.Text("""
        name: approval
        tasks:
          approve: { wait: { signal: approval, timeout: 1h } }
        """), "flow.yaml");

    private static WeftEngine Engine(IWeftStore store, Microsoft.Extensions.Time.Testing.FakeTimeProvider clock) =>
        WeftEngine.Create(o =>
        {
            o.Store = store;
            o.TimeProvider = clock;
        });

    private static Task WaitingInStoreAsync(IWeftStore store, string runId) =>
        EngineHarness.WaitUntilAsync(async () => (await store.GetRunAsync(runId))?.Tasks[0].State == TaskState.Waiting);

    [Fact]
    public async Task AResumedWait_KeepsItsStartAndTimesOutOnTheTimeLeft()
    {
        var shared = new MemoryStore();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        string runId;
        var crashing = new CrashableStore(shared);
        await using (var first = Engine(crashing, clock))
        {
            runId = (await first.SubmitAsync(Flow)).RunId;
            await WaitingInStoreAsync(crashing, runId);
            crashing.Crash();
        }

        clock.Advance(TimeSpan.FromMinutes(40));
        await using var second = Engine(new CrashableStore(shared), clock);
        var handle = await second.ResumeAsync(runId);
        await EngineHarness.WaitUntilAsync(() => second.GetRun(runId)?.Tasks[0].State == TaskState.Waiting);
        var resumed = second.GetRun(runId)!.Tasks[0];
        Assert.Equal(1, resumed.Attempts);
        Assert.Equal("waits for signal 'approval', at most until 2026-01-01 01:00:00Z", resumed.WaitReason);

        clock.Advance(TimeSpan.FromMinutes(20));
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        Assert.Equal(TaskState.TimedOut, run.Tasks[0].State);
        Assert.Equal("timed out after 1h waiting for signal 'approval'", run.Tasks[0].Error);
    }

    [Fact]
    public async Task ASignalRecordedByAnotherProcess_ReachesTheRunAtTheEnginesNextLook_AndIsTakenOnce()
    {
        var store = new CrashableStore(new MemoryStore());
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var engine = Engine(store, clock);
        var handle = await engine.SubmitAsync(Flow);
        await WaitingInStoreAsync(store, handle.RunId);

        // What `weft runs signal --store` does: check the recorded state, then record the signal.
        var recorded = await Weft.Waiting.SignalSender.RecordAsync(store, new TaskSignal(handle.RunId, "approve")
        {
            Data = "\"ok\"",
            Origin = "cli ops@box",
            SentAt = clock.GetUtcNow(),
        }, CancellationToken.None);
        Assert.True(recorded.Id > 0);
        Assert.Equal(TaskState.Waiting, engine.GetRun(handle.RunId)!.Tasks[0].State);

        clock.Advance(TimeSpan.FromSeconds(1));
        var run = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal("\"ok\"", run.Tasks[0].Output);
        Assert.Equal("signal from cli ops@box", run.Tasks[0].AttemptHistory[0].Worker);
        Assert.Empty(await store.PendingSignalsAsync());
        var late = await Assert.ThrowsAsync<WeftTaskNotWaitingException>(() =>
            Weft.Waiting.SignalSender.RecordAsync(store, new TaskSignal(handle.RunId, "approve"), CancellationToken.None).AsTask());
        Assert.Equal(TaskState.Succeeded, late.State);
    }
}
