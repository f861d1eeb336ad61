using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Weft.Definitions;
using Weft.Sqlite;
using static Weft.Storage.Tests.Samples;

namespace Weft.Storage.Tests.Sqlite;

/// <summary>Nothing stored can stop a process from starting. Rows an older version could write (a start
/// time 60 days ahead, past the platform's ~49.7-day timer limit; one past today's 365-day horizon; a
/// definition over today's duration maximum; a time column out of range) are written straight into a
/// SQLite file, and an engine is started on it and takes its unfinished runs up as `weft server` does.</summary>
public sealed class UnusableStoredRunTests : IDisposable
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
        o.Monitor.SampleEvery = null; // days of fake time would otherwise mean a million samples
    });

    private async Task WriteRowAsync(string runId, WorkflowDefinition definition, DateTimeOffset? notBefore = null)
    {
        await using var store = await SqliteStore.OpenAsync(_db.Options());
        await store.CreateRunAsync(new RunRecord(runId, definition, new Dictionary<string, string>(), T0) { NotBefore = notBefore });
    }

    // What `weft server` does at start: every unfinished run is taken up, and a failure is reported, not fatal.
    private static async Task<Dictionary<string, Exception?>> TakeUpAllAsync(WeftEngine engine)
    {
        var outcomes = new Dictionary<string, Exception?>();
        foreach (var runId in await engine.FindUnfinishedRunsAsync())
        {
            try
            {
                await engine.ResumeAsync(runId);
                outcomes[runId] = null;
            }
            catch (WeftStoredRunException ex)
            {
                outcomes[runId] = ex;
            }
        }

        return outcomes;
    }

    [Fact]
    public async Task ARowStarting60DaysAhead_TakenUp_WaitsAndStartsAtItsTime()
    {
        await WriteRowAsync("r60", Flow, T0.AddDays(60));
        await using var store = await SqliteStore.OpenAsync(_db.Options());
        await using var engine = Engine(store);

        var handle = await engine.ResumeAsync("r60");
        _clock.Advance(TimeSpan.FromDays(59));
        Assert.Equal(RunState.Pending, handle.Snapshot().State);
        _clock.Advance(TimeSpan.FromDays(1));

        var done = await handle.WaitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Equal(T0.AddDays(60), done.StartedAt);
    }

    [Fact]
    public async Task ARowStartingPastTheHorizon_IsMarkedFailedWithTheReason_AndTheEngineWorks()
    {
        await WriteRowAsync("far", Flow, T0.AddDays(4000));
        await WriteRowAsync("fine", Flow, T0.AddHours(1));
        await using var store = await SqliteStore.OpenAsync(_db.Options());
        await using var engine = Engine(store);

        var outcomes = await TakeUpAllAsync(engine);

        Assert.Null(outcomes["fine"]);
        Assert.Contains("more than 365d ahead", outcomes["far"]!.Message);
        var far = (await store.GetRunAsync("far"))!;
        Assert.Equal(RunState.Failed, far.State);
        Assert.Contains("more than 365d ahead", far.Tasks[0].Error);
        Assert.DoesNotContain("far", await store.ListUnfinishedRunsAsync()); // the next start does not trip on it again
        var fresh = await (await engine.SubmitAsync(Flow)).WaitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(RunState.Succeeded, fresh.State);
    }

    [Fact]
    public async Task ARowWhoseWorkflowIsOverTodaysMaximum_IsMarkedFailedWithTheReason()
    {
        var old = new WorkflowDefinition("old", [new TaskDefinition("a", NoopSpec.Instance) { Timeout = TimeSpan.FromDays(400) }]);
        await WriteRowAsync("old", old);
        await using var store = await SqliteStore.OpenAsync(_db.Options());
        await using var engine = Engine(store);

        var outcomes = await TakeUpAllAsync(engine);

        Assert.Contains("'timeout' 400d is longer than the maximum of 365d", outcomes["old"]!.Message);
        Assert.Equal(RunState.Failed, (await store.ListRunsAsync(new RunQuery())).Single(r => r.RunId == "old").State);
        Assert.DoesNotContain("old", await store.ListUnfinishedRunsAsync());
    }

    [Fact]
    public async Task ARowWithAnUnreadableStartTime_IsMarkedFailed_AndTheEngineStartsAnyway()
    {
        await WriteRowAsync("bad", Flow, T0.AddHours(1));
        await WriteRowAsync("good", Flow);
        using (var c = new SqliteConnection($"Data Source={_db.Path};Pooling=False"))
        {
            c.Open();
            using var command = c.CreateCommand();
            command.CommandText = "UPDATE runs SET not_before = 9223372036854775807 WHERE run_id = 'bad'";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        await using var store = await SqliteStore.OpenAsync(_db.Options());
        await using var engine = Engine(store);

        var outcomes = await TakeUpAllAsync(engine);

        Assert.Contains("its record cannot be read", outcomes["bad"]!.Message);
        Assert.Null(outcomes["good"]);
        Assert.Equal(RunState.Failed, (await store.ListRunsAsync(new RunQuery())).Single(r => r.RunId == "bad").State);
        Assert.DoesNotContain("bad", await store.ListUnfinishedRunsAsync());
    }
}
