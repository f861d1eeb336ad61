using Microsoft.Extensions.Time.Testing;
using Weft.Definitions;
using Weft.Sqlite;
using static Weft.Storage.Tests.Samples;

namespace Weft.Storage.Tests.Sqlite;

/// <summary>A run submitted to start later (<see cref="SubmitOptions.NotBefore"/>) whose engine stops
/// before then: the engine that takes it up from the SQLite file still waits for its time.</summary>
public sealed class ScheduledStartRestartTests : IDisposable
{
    private static readonly WorkflowDefinition Flow = new("nightly", [new TaskDefinition("a", NoopSpec.Instance)]);

    private readonly TempDatabase _db = new();
    private readonly FakeTimeProvider _clock = new(T0);

    public void Dispose() => _db.Dispose();

    private WeftEngine Engine(IWeftStore store) => WeftEngine.Create(o =>
    {
        o.Store = store;
        o.TimeProvider = _clock;
        o.Workers = 2;
        o.Retention = null;
    });

    [Fact]
    public async Task ARunScheduledForLater_TakenUpAfterARestart_StillWaitsForItsTime()
    {
        string runId;
        await using (var store = await SqliteStore.OpenAsync(_db.Options()))
        {
            var engine = Engine(store);
            runId = (await engine.SubmitAsync(Flow, options: new SubmitOptions { NotBefore = T0.AddHours(2), Deadline = T0.AddHours(3) })).RunId;
            await engine.StopAsync(TimeSpan.Zero); // as `weft server` stops: runs stay unfinished
        }

        _clock.Advance(TimeSpan.FromHours(1));
        await using var reopened = await SqliteStore.OpenAsync(_db.Options());
        await using var restarted = Engine(reopened);
        Assert.Equal([runId], await restarted.FindUnfinishedRunsAsync());

        var handle = await restarted.ResumeAsync(runId);

        Assert.Equal(RunState.Pending, handle.Snapshot().State); // 1 h before its time: not started
        Assert.Equal(RunState.Pending, (await reopened.GetRunAsync(runId))!.State);
        _clock.Advance(TimeSpan.FromHours(1));
        var done = await handle.WaitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Equal(T0.AddHours(2), done.StartedAt);
    }

    [Fact]
    public async Task ARunWhoseTimeHasPassed_StartsWhenTakenUp()
    {
        string runId;
        await using (var store = await SqliteStore.OpenAsync(_db.Options()))
        {
            var engine = Engine(store);
            runId = (await engine.SubmitAsync(Flow, options: new SubmitOptions { NotBefore = T0.AddMinutes(5) })).RunId;
            await engine.StopAsync(TimeSpan.Zero);
        }

        _clock.Advance(TimeSpan.FromMinutes(10));
        await using var reopened = await SqliteStore.OpenAsync(_db.Options());
        await using var restarted = Engine(reopened);

        var done = await (await restarted.ResumeAsync(runId)).WaitAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(RunState.Succeeded, done.State);
    }
}
