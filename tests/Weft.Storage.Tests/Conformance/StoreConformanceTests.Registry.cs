using static Weft.Storage.Tests.Samples;

namespace Weft.Storage.Tests.Conformance;

/// <summary>The registry contract (IRegistryStore): registered workflow versions and schedule state.</summary>
public abstract partial class StoreConformanceTests
{
    protected IRegistryStore Registry => Assert.IsAssignableFrom<IRegistryStore>(Store);

    protected static StoredWorkflow Workflow(string name, string text, DateTimeOffset? at = null) =>
        new(name, 0, "h-" + text, at ?? T0, $"name: {name}\n# {text}\n", name + ".yaml");

    [Fact]
    public async Task RegisterWorkflow_NewText_NextVersion_SameTextAnyVersion_Unchanged()
    {
        var (v1, created1) = await Registry.RegisterWorkflowAsync(Workflow("etl", "one"));
        var (v2, created2) = await Registry.RegisterWorkflowAsync(Workflow("etl", "two", T0.AddMinutes(1)));
        var (again, createdAgain) = await Registry.RegisterWorkflowAsync(Workflow("etl", "one", T0.AddMinutes(2)));
        var (other, _) = await Registry.RegisterWorkflowAsync(Workflow("other", "one"));

        Assert.Equal((1, true), (v1.Version, created1));
        Assert.Equal((2, true), (v2.Version, created2));
        Assert.Equal((1, false, T0), (again.Version, createdAgain, again.RegisteredAt));
        Assert.Equal(1, other.Version);
        Assert.Equal(Workflow("etl", "two", T0.AddMinutes(1)) with { Version = 2 }, v2);
    }

    [Fact]
    public async Task GetAndListWorkflows_LatestByDefault_VersionsOldestFirst_LatestOfEachByName()
    {
        await Registry.RegisterWorkflowAsync(Workflow("b", "one"));
        await Registry.RegisterWorkflowAsync(Workflow("a", "one"));
        await Registry.RegisterWorkflowAsync(Workflow("b", "two"));
        await Registry.RegisterWorkflowAsync(Workflow("B", "one"));

        Assert.Equal("h-two", (await Registry.GetWorkflowAsync("b"))!.Hash);
        Assert.Equal("h-one", (await Registry.GetWorkflowAsync("b", 1))!.Hash);
        Assert.Null(await Registry.GetWorkflowAsync("b", 3));
        Assert.Null(await Registry.GetWorkflowAsync("nope"));
        Assert.Equal([1, 2], (await Registry.ListWorkflowVersionsAsync("b")).Select(w => w.Version));
        Assert.Empty(await Registry.ListWorkflowVersionsAsync("nope"));
        Assert.Equal(["B/1", "a/1", "b/2"], (await Registry.ListLatestWorkflowsAsync()).Select(w => $"{w.Name}/{w.Version}"));
    }

    [Fact]
    public async Task RegisterWorkflow_ManyTextsAtOnce_EachGetsItsOwnVersion()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Registry.RegisterWorkflowAsync(Workflow("etl", $"t{i}")).AsTask()));

        Assert.All(results, r => Assert.True(r.Created));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], results.Select(r => r.Workflow.Version).Order());
        Assert.Equal(8, (await Registry.ListWorkflowVersionsAsync("etl")).Count);
    }

    [Fact]
    public async Task AddSchedule_New_IsActiveFromItsTime_Existing_KeepsPauseAndEvaluation()
    {
        var added = await Registry.AddScheduleAsync("etl", T0);
        Assert.True(await Registry.SetSchedulePausedAsync("etl", true));
        var again = await Registry.AddScheduleAsync("etl", T0.AddHours(1));

        Assert.Equal(new StoredSchedule("etl", false, T0, null, null), added);
        Assert.Equal(new StoredSchedule("etl", true, T0, null, null), again);
        Assert.Equal(again, await Registry.GetScheduleAsync("etl"));
        Assert.Null(await Registry.GetScheduleAsync("nope"));
    }

    [Fact]
    public async Task SetSchedulePaused_ResumeMovesEvaluation_UnknownIsFalse()
    {
        await Registry.AddScheduleAsync("etl", T0);

        Assert.True(await Registry.SetSchedulePausedAsync("etl", true));
        Assert.True(await Registry.SetSchedulePausedAsync("etl", false, T0.AddHours(2)));
        Assert.False(await Registry.SetSchedulePausedAsync("nope", true));
        Assert.Equal(new StoredSchedule("etl", false, T0.AddHours(2), null, null), await Registry.GetScheduleAsync("etl"));
    }

    [Fact]
    public async Task AdvanceSchedule_IsACompareAndSet()
    {
        await Registry.AddScheduleAsync("etl", T0);

        Assert.False(await Registry.AdvanceScheduleAsync("etl", T0.AddTicks(1), T0.AddHours(1)));
        Assert.True(await Registry.AdvanceScheduleAsync("etl", T0, T0.AddHours(1)));
        Assert.False(await Registry.AdvanceScheduleAsync("etl", T0, T0.AddHours(1)));
        Assert.False(await Registry.AdvanceScheduleAsync("nope", T0, T0.AddHours(1)));
        Assert.Equal(T0.AddHours(1), (await Registry.GetScheduleAsync("etl"))!.Evaluated);
    }

    [Fact]
    public async Task AdvanceSchedule_ManyAtOnceFromTheSameTime_ExactlyOneWins()
    {
        await Registry.AddScheduleAsync("etl", T0);

        var wins = await Task.WhenAll(Enumerable.Range(1, 10).Select(i => Registry.AdvanceScheduleAsync("etl", T0, T0.AddSeconds(i)).AsTask()));

        Assert.Single(wins, w => w);
    }

    [Fact]
    public async Task RecordScheduleRun_TickSetsLastTick_TriggerKeepsIt_RemoveEndsTheSchedule()
    {
        await Registry.AddScheduleAsync("etl", T0);
        await Registry.RecordScheduleRunAsync("etl", T0.AddHours(1), "run-1");
        await Registry.RecordScheduleRunAsync("etl", null, "run-2");
        var recorded = await Registry.GetScheduleAsync("etl");
        await Registry.RecordScheduleRunAsync("nope", null, "run-3");
        await Registry.RemoveScheduleAsync("etl");
        await Registry.RemoveScheduleAsync("etl");

        Assert.Equal(new StoredSchedule("etl", false, T0, T0.AddHours(1), "run-2"), recorded);
        Assert.Null(await Registry.GetScheduleAsync("etl"));
        Assert.Empty(await Registry.ListSchedulesAsync());
    }

    [Fact]
    public async Task ListSchedules_ByWorkflowName()
    {
        await Registry.AddScheduleAsync("b", T0);
        await Registry.AddScheduleAsync("a", T0.AddMinutes(1));

        Assert.Equal(["a", "b"], (await Registry.ListSchedulesAsync()).Select(s => s.Workflow));
    }
}
