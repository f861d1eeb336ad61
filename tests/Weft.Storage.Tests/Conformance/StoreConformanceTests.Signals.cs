using Weft.Execution;
using static Weft.Storage.Tests.Samples;

namespace Weft.Storage.Tests.Conformance;

/// <summary>Signals for waiting tasks: recorded with an id, time, origin and data; pending until a
/// <see cref="StoreChangeKind.SignalTaken"/> in a batch takes them (with the task's end, in one
/// transaction); taken ones are never pending again; a waiting task's state reads back as waiting.</summary>
public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Signals_AreRecordedInOrder_PendingUntilTaken_WithTheirDataAndOrigin()
    {
        await Store.CreateRunAsync(Run("r1", T0));
        await Store.WriteAsync([TaskChange("r1", "a", TaskState.Waiting), AttemptChange("r1", "a", 1)]);

        var first = await Store.AddSignalAsync(new TaskSignal("r1", "a") { Data = """{"ok":true}""", Origin = "cli ada@box", SentAt = T0.AddMinutes(1) });
        var second = await Store.AddSignalAsync(new TaskSignal("r1", "b") { Reject = true, Origin = "api 10.0.0.1", SentAt = T0.AddMinutes(2) });

        Assert.True(first.Id > 0);
        Assert.True(second.Id > first.Id);
        var pending = await Store.PendingSignalsAsync();
        Assert.Equal([first, second], pending);
        Assert.Equal(TaskState.Waiting, (await Store.GetRunAsync("r1"))!.Tasks.Single(t => t.TaskId == "a").State);

        await Store.WriteAsync(
        [
            new StoreChange { Kind = StoreChangeKind.SignalTaken, RunId = "r1", TaskId = "a", QueueId = first.Id, FinishedAt = T0.AddMinutes(3) },
            TaskChange("r1", "a", TaskState.Succeeded),
            AttemptChange("r1", "a", 1, TaskOutcomeStatus.Succeeded, """{"ok":true}""") with { Worker = "signal from cli ada@box" },
        ]);

        Assert.Equal([second], await Store.PendingSignalsAsync());
        var task = (await Store.GetRunAsync("r1"))!.Tasks.Single(t => t.TaskId == "a");
        Assert.Equal("signal from cli ada@box", task.AttemptHistory[0].Worker);
        Assert.Single(await Store.PendingSignalsAsync(limit: 1));

        var pause = await Store.AddSignalAsync(TaskSignal.ForRun("r1", RunControl.Pause) with { Origin = "cli ops@box", SentAt = T0.AddMinutes(4) });
        Assert.Equal(RunControl.Pause, (await Store.PendingSignalsAsync()).Single(s => s.Id == pause.Id).Control);
        Assert.Null((await Store.PendingSignalsAsync()).Single(s => s.Id == second.Id).Control);
    }

    [Fact]
    public async Task WhoTriggeredARun_IsRecordedWithIt_InListsSnapshotsAndLoads()
    {
        await Store.CreateRunAsync(Run("r1", T0) with { TriggeredBy = "schedule 2026-01-01T00:00:00Z" });
        await Store.CreateRunAsync(Run("r2", T0.AddMinutes(1)));

        Assert.Equal(["schedule 2026-01-01T00:00:00Z", null], (await Store.ListRunsAsync(new RunQuery())).Reverse().Select(r => r.TriggeredBy));
        Assert.Equal("schedule 2026-01-01T00:00:00Z", (await Store.GetRunAsync("r1"))!.TriggeredBy);
        Assert.Equal("schedule 2026-01-01T00:00:00Z", (await Store.LoadRunAsync("r1"))!.Record.TriggeredBy);
    }
}
