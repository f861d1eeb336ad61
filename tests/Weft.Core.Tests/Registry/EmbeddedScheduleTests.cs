using Microsoft.Extensions.Time.Testing;
using Weft.Registry;
using Weft.Storage;
using Weft.Tests.Scheduling;

namespace Weft.Tests.Registry;

/// <summary>Schedules run by an embedded engine itself (no server), on a fake clock: the background
/// runner sleeps until the next tick on the engine's TimeProvider, and the test moves that clock.</summary>
public sealed class EmbeddedScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 30, 0, TimeSpan.Zero);

    private const string Hourly = """
        name: hourly
        schedule: { cron: "0 * * * *" }
        tasks:
          a:
            noop: {}
        """;

    private static WeftEngine Engine(FakeTimeProvider clock, IWeftStore store) => WeftEngine.Create(o =>
    {
        o.Workers = 2;
        o.TimeProvider = clock;
        o.Store = store;
    });

    private static async Task<int> RunCountAsync(IWeftStore store) =>
        (await store.ListRunsAsync(new RunQuery { Workflow = "hourly" })).Count;

    /// <summary>Registers the workflow and waits until every engine's runner has begun a look at the
    /// schedules after the registration and gone back to sleep, so the next move of the clock is one its
    /// timer sees. (A runner in the middle of a look when the wake comes looks once more.)</summary>
    private static async Task RegisterAndSettleAsync(WeftEngine registrar, params WeftEngine[] engines)
    {
        await registrar.Workflows.RegisterAsync(Hourly);
        var before = engines.Select(e => e.Schedules.Passes).ToArray();
        foreach (var e in engines)
        {
            e.Schedules.Wake();
        }

        await EngineHarness.WaitUntilAsync(() => engines.Select((e, i) => e.Schedules.LastNappedPass > before[i]).All(x => x));
    }

    [Fact]
    public async Task EmbeddedEngine_ClockReachesTheTick_StartsTheRunByItself()
    {
        var clock = new FakeTimeProvider(Start);
        var store = new MemoryStore();
        await using var engine = Engine(clock, store);
        var started = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        engine.Schedules.RunStarted += id => started.TrySetResult(id);
        await RegisterAndSettleAsync(engine, engine);

        clock.Advance(TimeSpan.FromMinutes(29));
        Assert.False(started.Task.IsCompleted);
        clock.Advance(TimeSpan.FromMinutes(1));
        var runId = await started.Task.WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(ScheduleService.TickRunId("hourly", Start.AddMinutes(30)), runId);
        Assert.Equal(1, await RunCountAsync(store));
        var schedule = Assert.Single(await engine.Schedules.ListAsync());
        Assert.Equal((Start.AddMinutes(30), runId, Start.AddMinutes(90)), (schedule.LastTick, schedule.LastRunId, schedule.NextTick));
    }

    [Fact]
    public async Task TwoEnginesOnOneStore_OneTick_OneRun()
    {
        var clock = new FakeTimeProvider(Start);
        var store = new MemoryStore();
        await using var first = Engine(clock, store);
        await using var second = Engine(clock, store);
        await RegisterAndSettleAsync(first, first, second);
        var naps = (first.Schedules.Naps, second.Schedules.Naps);

        clock.Advance(TimeSpan.FromMinutes(30));

        // Both runners woke at the tick, looked, and went back to sleep.
        await EngineHarness.WaitUntilAsync(() => first.Schedules.Naps > naps.Item1 && second.Schedules.Naps > naps.Item2);
        Assert.Equal(1, await RunCountAsync(store));
        Assert.Equal(Start.AddMinutes(30), (await ((IRegistryStore)store).GetScheduleAsync("hourly"))!.LastTick);
    }

    [Fact]
    public async Task PausedSchedule_SkipsItsTicks_ResumeStartsFromTheNextTick()
    {
        var clock = new FakeTimeProvider(Start);
        var store = new MemoryStore();
        await using var engine = WeftEngine.Create(o =>
        {
            o.TimeProvider = clock;
            o.Store = store;
            o.Schedules.Enabled = false;
        });
        await engine.Workflows.RegisterAsync(Hourly.Replace("0 * * * *\" }", "0 * * * *\", catchUp: all }", StringComparison.Ordinal));

        var paused = await engine.Schedules.PauseAsync("hourly");
        clock.Advance(TimeSpan.FromHours(2));
        var whilePaused = await engine.Schedules.RunDueAsync();
        var resumed = await engine.Schedules.ResumeAsync("hourly");
        var afterResume = await engine.Schedules.RunDueAsync();
        clock.Advance(TimeSpan.FromMinutes(30));
        var nextTick = await engine.Schedules.RunDueAsync();

        Assert.Equal((true, null), (paused!.Paused, paused.NextTick));
        Assert.Empty(whilePaused);
        Assert.Equal((false, Start.AddMinutes(150)), (resumed!.Paused, resumed.NextTick));
        Assert.Empty(afterResume);
        Assert.Single(nextTick);
        Assert.Null(await engine.Schedules.PauseAsync("nope"));
    }

    [Fact]
    public async Task Register_SameTextAgain_SameVersion_NewVersionWithoutSchedule_EndsIt()
    {
        await using var engine = WeftEngine.Create(o => o.Schedules.Enabled = false);

        var (first, created) = await engine.Workflows.RegisterAsync(Hourly);
        var (again, createdAgain) = await engine.Workflows.RegisterAsync(Hourly);
        var schedulesBefore = await engine.Schedules.ListAsync();
        var (unscheduled, _) = await engine.Workflows.RegisterAsync("name: hourly\ntasks:\n  a:\n    noop: {}\n");

        Assert.Equal((1, true, 1, false), (first.Version, created, again.Version, createdAgain));
        Assert.Single(schedulesBefore);
        Assert.Equal(2, unscheduled.Version);
        Assert.Empty(await engine.Schedules.ListAsync());
        Assert.Null(await engine.Schedules.TriggerAsync("hourly"));
        Assert.Equal([1, 2], (await engine.Workflows.VersionsAsync("hourly")).Select(v => v.Version));
    }

    [Fact]
    public async Task Trigger_StartsARunNow_AndRecordsIt()
    {
        await using var engine = WeftEngine.Create(o => o.Schedules.Enabled = false);
        await engine.Workflows.RegisterAsync(Hourly);

        var handle = await engine.Schedules.TriggerAsync("hourly");
        var run = await handle!.WaitAsync().WaitAsync(EngineHarness.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(handle.RunId, (await engine.Schedules.FindAsync("hourly"))!.LastRunId);
    }
}
