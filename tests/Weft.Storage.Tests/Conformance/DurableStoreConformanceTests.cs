using Weft.Execution;
using static Weft.Storage.Tests.Samples;

namespace Weft.Storage.Tests.Conformance;

/// <summary>The extra promise of a durable store: what was written is there after the store is
/// closed and opened again (in a new process, as far as the store can tell).</summary>
public abstract class DurableStoreConformanceTests : StoreConformanceTests
{
    /// <summary>Opens the same database as <see cref="StoreConformanceTests.CreateStoreAsync"/> did, as a
    /// new store instance (no state shared in memory).</summary>
    protected abstract Task<IWeftStore> ReopenAsync();

    [Fact]
    public async Task IsDurable_IsTrue() => Assert.True(Store.IsDurable);

    [Fact]
    public async Task TakeRun_TwoProcessesAtOnce_ExactlyOneGetsIt()
    {
        await Store.CreateRunAsync(Run("r1", T0) with { Owner = new RunOwner("dead", T0) });
        var other = Track(await ReopenAsync());
        var until = T0.AddSeconds(40);

        var results = await Task.WhenAll(
            Task.Run(async () => await Store.TakeRunAsync("r1", "A", T0.AddSeconds(10), until)),
            Task.Run(async () => await other.TakeRunAsync("r1", "B", T0.AddSeconds(10), until)));

        Assert.Equal(results[0], results[1]);
        Assert.Contains(results[0]!.Name, new[] { "A", "B" });
    }

    [Fact]
    public async Task Reopen_RunsStatesAndOutputsSurvive()
    {
        await SeedAsync();
        await Store.WriteAsync(Story("r4", T0.AddMinutes(30)));
        await Store.DisposeAsync();

        var reopened = Track(await ReopenAsync());

        Assert.Equal(["r5", "r4", "r3", "r2", "r1"], (await reopened.ListRunsAsync(new RunQuery())).Select(r => r.RunId));
        Assert.Equal(["r2", "r4", "r5"], await reopened.ListUnfinishedRunsAsync());
        Assert.Equal(2, (await reopened.CountRunsByStateAsync())[RunState.Succeeded]);
        Assert.Equal("first try", await reopened.GetOutputAsync("r4", "a", 1));
        Assert.Equal("second try", await reopened.GetOutputAsync("r4", "a"));
    }

    [Fact]
    public async Task ASignalRecordedByAnotherHandle_IsPendingHere_AndSurvivesAReopen()
    {
        await Store.CreateRunAsync(Run("r1", T0));
        var other = Track(await ReopenAsync());

        var sent = await other.AddSignalAsync(new TaskSignal("r1", "a") { Data = "\"yes\"", Origin = "cli ops@host", SentAt = T0 });

        Assert.Equal([sent], await Store.PendingSignalsAsync());
        await Store.DisposeAsync();
        Assert.Equal([sent], await Track(await ReopenAsync()).PendingSignalsAsync());
    }

    [Fact]
    public async Task Reopen_CacheEntriesSurvive()
    {
        var large = string.Concat(Enumerable.Repeat("compressible output ", 500));
        await Store.PutCacheAsync(new CacheEntry("k1", "small", false, T0, T0.AddHours(1)));
        await Store.PutCacheAsync(new CacheEntry("k2", large, true, T0, T0.AddHours(2)));
        await Store.DisposeAsync();

        var reopened = Track(await ReopenAsync());

        Assert.Equal(new CacheEntry("k1", "small", false, T0, T0.AddHours(1)), await reopened.GetCacheAsync("k1"));
        Assert.Equal(new CacheEntry("k2", large, true, T0, T0.AddHours(2)), await reopened.GetCacheAsync("k2"));
    }

    // Reading a run back in a new process parses its stored definition with WorkflowLoader, which
    // is a stub on this branch (the defs branch implements it). Remove Skip after that merge.
    [Fact]
    public async Task Reopen_GetRunAndLoadRun_ReadTheStoredDefinition()
    {
        await Store.CreateRunAsync(Run("r1", T0, Rich()) with { Params = new Dictionary<string, string> { ["p"] = SecretValue } });
        await Store.WriteAsync([TaskChange("r1", "sh", TaskState.Succeeded), AttemptChange("r1", "sh", 1, TaskOutcomeStatus.Succeeded, "ok")]);
        await Store.DisposeAsync();

        var reopened = Track(await ReopenAsync());
        var shown = (await reopened.GetRunAsync("r1"))!;
        var loaded = (await reopened.LoadRunAsync("r1"))!;

        Assert.Equal(["sh", "web", "fn", "nap", "nothing", "box"], shown.Tasks.Select(t => t.TaskId));
        Assert.Equal("ok", shown.Tasks[0].Output);
        Assert.Equal("***", shown.Params["p"]);
        Assert.Equal(SecretValue, loaded.Record.Params["p"]);
        Assert.Equal(Definitions.DefinitionJson.Write(Rich()), Definitions.DefinitionJson.Write(loaded.Record.Definition));
    }

    [Fact]
    public async Task Reopen_RegisteredWorkflowsAndSchedulesSurvive()
    {
        var registry = (IRegistryStore)Store;
        await registry.RegisterWorkflowAsync(Workflow("etl", "one"));
        await registry.RegisterWorkflowAsync(Workflow("etl", "two"));
        await registry.AddScheduleAsync("etl", T0);
        await registry.SetSchedulePausedAsync("etl", true);
        await registry.RecordScheduleRunAsync("etl", T0.AddHours(1), "run-1");
        await Store.DisposeAsync();

        var reopened = (IRegistryStore)Track(await ReopenAsync());

        Assert.Equal([Workflow("etl", "one") with { Version = 1 }, Workflow("etl", "two") with { Version = 2 }], await reopened.ListWorkflowVersionsAsync("etl"));
        Assert.Equal(new StoredSchedule("etl", true, T0, T0.AddHours(1), "run-1"), await reopened.GetScheduleAsync("etl"));
    }

    [Fact]
    public async Task SecondHandleOnTheSameDatabase_SharesTheRegistry_AndOneWinsEachCompareAndSet()
    {
        var first = (IRegistryStore)Store;
        var second = (IRegistryStore)Track(await ReopenAsync());
        await first.RegisterWorkflowAsync(Workflow("etl", "one"));
        await first.AddScheduleAsync("etl", T0);

        var registered = await second.RegisterWorkflowAsync(Workflow("etl", "one"));
        var wins = await Task.WhenAll(
            Enumerable.Range(1, 5).SelectMany(i => new[] { first, second }.Select(s => s.AdvanceScheduleAsync("etl", T0, T0.AddSeconds(i)).AsTask())));

        Assert.Equal((1, false), (registered.Workflow.Version, registered.Created));
        Assert.Single(wins, w => w);
    }
}
