using Weft.Execution;
using static Weft.Storage.Tests.Samples;

namespace Weft.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task ListRunsAsync_EachFilter_NewestFirst()
    {
        await SeedAsync();

        async Task<string[]> Ids(RunQuery q) => [.. (await Store.ListRunsAsync(q)).Select(r => r.RunId)];

        Assert.Equal(["r5", "r4", "r3", "r2", "r1"], await Ids(new RunQuery()));
        Assert.Equal(["r4", "r2"], await Ids(new RunQuery { Workflow = "report" }));
        Assert.Equal(["r3", "r1"], await Ids(new RunQuery { State = RunState.Succeeded }));
        Assert.Equal(["r5", "r4", "r3"], await Ids(new RunQuery { Since = T0.AddMinutes(3) }));
        Assert.Equal(["r2", "r1"], await Ids(new RunQuery { Until = T0.AddMinutes(3) }));
        Assert.Equal(["r4", "r2"], await Ids(new RunQuery { Text = "REP" }));
        Assert.Equal(["r5"], await Ids(new RunQuery { Text = "r5" }));
        Assert.Equal(["r4", "r3"], await Ids(new RunQuery { Limit = 2, Offset = 1 }));
        Assert.Equal(["r4"], await Ids(new RunQuery { Workflow = "report", State = RunState.Running, Since = T0 }));
        Assert.Empty(await Ids(new RunQuery { Offset = 5 }));
    }

    [Fact]
    public async Task ListRunsAsync_IdPrefix_MatchesTheStartOfTheIdOnly_CaseSensitive()
    {
        await Store.CreateRunAsync(Run("0192abc1", T0.AddMinutes(1), Flow("etl")));
        await Store.CreateRunAsync(Run("0192abc2", T0.AddMinutes(2), Flow("etl")));
        await Store.CreateRunAsync(Run("x0192abc", T0.AddMinutes(3), Flow("etl")));
        await Store.CreateRunAsync(Run("a%_b", T0.AddMinutes(4), Flow("etl")));

        async Task<string[]> Ids(string prefix) => [.. (await Store.ListRunsAsync(new RunQuery { IdPrefix = prefix })).Select(r => r.RunId)];

        Assert.Equal(["0192abc2", "0192abc1"], await Ids("0192"));
        Assert.Equal(["0192abc1"], await Ids("0192abc1"));
        Assert.Empty(await Ids("0192ABC"));
        Assert.Empty(await Ids("192"));
        Assert.Empty(await Ids("a%"[..1] + "_"));
        Assert.Equal(["a%_b"], await Ids("a%_"));
    }

    [Fact]
    public async Task ListRunsAsync_Summary_HasStateAndTimes()
    {
        await SeedAsync();

        var r1 = (await Store.ListRunsAsync(new RunQuery { Text = "r1" })).Single();

        Assert.Equal("etl", r1.Workflow);
        Assert.Equal(RunState.Succeeded, r1.State);
        Assert.Equal(T0.AddMinutes(1), r1.SubmittedAt);
        Assert.Equal(T0.AddMinutes(9), r1.StartedAt);
        Assert.Equal(T0.AddMinutes(10), r1.FinishedAt);
    }

    [Fact]
    public async Task ListUnfinishedRunsAsync_PendingRunningPaused_OldestFirst()
    {
        await SeedAsync();

        Assert.Equal(["r2", "r4", "r5"], await Store.ListUnfinishedRunsAsync());
    }

    [Fact]
    public async Task CountRunsByStateAsync_CountsEveryState()
    {
        await SeedAsync();

        var counts = await Store.CountRunsByStateAsync();

        Assert.Equal(2, counts[RunState.Succeeded]);
        Assert.Equal(1, counts[RunState.Paused]);
        Assert.Equal(1, counts[RunState.Running]);
        Assert.Equal(1, counts[RunState.Pending]);
        Assert.False(counts.ContainsKey(RunState.Failed));
    }

    [Fact]
    public async Task GetOutputAsync_LatestByDefault_OrByAttempt()
    {
        await Store.CreateRunAsync(Run("r1", T0));
        await Store.WriteAsync(Story("r1", T0));

        Assert.Equal("second try", await Store.GetOutputAsync("r1", "a"));
        Assert.Equal("first try", await Store.GetOutputAsync("r1", "a", 1));
        Assert.Equal("second try", await Store.GetOutputAsync("r1", "a", 2));
        Assert.Null(await Store.GetOutputAsync("r1", "a", 3));
        Assert.Null(await Store.GetOutputAsync("r1", "b"));
        Assert.Null(await Store.GetOutputAsync("r1", "c"));
    }

    [Fact]
    public async Task PurgeAsync_DeletesOnlyFinalRunsFinishedBefore()
    {
        await SeedAsync();
        await Store.WriteAsync([AttemptChange("r1", "a", 1, TaskOutcomeStatus.Succeeded, "old output"), TaskChange("r1", "a", TaskState.Succeeded)]);

        var purged = await Store.PurgeAsync(T0.AddMinutes(11));

        Assert.Equal(1, purged);
        Assert.Null(await Store.GetRunAsync("r1"));
        Assert.Null(await Store.GetOutputAsync("r1", "a"));
        Assert.Equal(["r5", "r4", "r3", "r2"], (await Store.ListRunsAsync(new RunQuery())).Select(r => r.RunId));
        Assert.Equal(0, await Store.PurgeAsync(T0.AddMinutes(11)));
        Assert.NotNull(await Store.GetRunAsync("r3"));
    }

    [Fact]
    public async Task PurgeAsync_ThenSameDefinitionAgain_RunIsReadable()
    {
        await Store.CreateRunAsync(Run("old", T0));
        await Store.WriteAsync([Finished("old", RunState.Failed, T0.AddMinutes(1))]);
        Assert.Equal(1, await Store.PurgeAsync(T0.AddHours(1)));

        await Store.CreateRunAsync(Run("new", T0.AddHours(2)));

        Assert.Equal(["a", "b", "c"], (await Store.GetRunAsync("new"))!.Tasks.Select(t => t.TaskId));
    }

    [Fact]
    public async Task SecretParams_MaskedInGetRun_ClearInLoadRun()
    {
        await Store.CreateRunAsync(Run("r1", T0) with { Priority = Definitions.TaskPriority.High });

        var shown = (await Store.GetRunAsync("r1"))!;
        var loaded = (await Store.LoadRunAsync("r1"))!;

        Assert.Equal("***", shown.Params["token"]);
        Assert.Equal("us", shown.Params["region"]);
        Assert.Equal(SecretValue, loaded.Record.Params["token"]);
        Assert.Equal(SecretValue, loaded.Snapshot.Params["token"]);
        Assert.Equal("us", loaded.Record.Params["region"]);
        Assert.Equal(Definitions.TaskPriority.High, loaded.Record.Priority);
        Assert.Equal(T0, loaded.Record.SubmittedAt);
        Assert.Equal(["a", "b", "c"], loaded.Record.Definition.Tasks.Select(t => t.Id));
        Assert.Equal(Definitions.DefinitionJson.Write(Flow()), Definitions.DefinitionJson.Write(loaded.Record.Definition));
    }

    /// <summary>r1 etl succeeded (finished T0+10m), r2 report paused, r3 etl succeeded (finished
    /// T0+20m), r4 report running, r5 etl pending; submitted one minute apart from T0+1m.</summary>
    protected async Task SeedAsync()
    {
        string[] workflows = ["etl", "report", "etl", "report", "etl"];
        for (var i = 0; i < 5; i++)
        {
            await Store.CreateRunAsync(Run($"r{i + 1}", T0.AddMinutes(i + 1), Flow(workflows[i])));
        }

        await Store.WriteAsync(
        [
            Finished("r1", RunState.Succeeded, T0.AddMinutes(10)),
            RunChange("r2", RunState.Running, started: T0.AddMinutes(2)),
            RunChange("r2", RunState.Paused),
            Finished("r3", RunState.Succeeded, T0.AddMinutes(20)),
            RunChange("r4", RunState.Running, started: T0.AddMinutes(4)),
        ]);
    }
}
