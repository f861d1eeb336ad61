using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Weft.Registry;
using Weft.Sqlite;
using Weft.Storage;

namespace Weft.Server.Tests;

/// <summary>Schedules on a fake clock: the runner is driven by hand (RunDueAsync) after each move of the clock.
/// Schedule state is the engine's, in its store.</summary>
public sealed class ScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 30, 0, TimeSpan.Zero);

    private static string Hourly(string catchUp) => $$"""
        name: hourly
        schedule: { cron: "0 * * * *", timezone: Europe/Paris, catchUp: {{catchUp}} }
        tasks:
          a:
            noop: {}
        """;

    private static async Task<(TestServer Server, FakeTimeProvider Clock)> StartAsync(string catchUp = "none")
    {
        var clock = new FakeTimeProvider(Start);
        var server = await TestServer.StartAsync(o => o.EnableSchedules = false, b => b.Services.AddSingleton<TimeProvider>(clock));
        var response = await server.Client.PostAsJsonAsync("/api/workflows", new { definition = Hourly(catchUp) });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (server, clock);
    }

    private static async Task<int> RunCountAsync(TestServer server) =>
        (await server.Engine.Store.ListRunsAsync(new RunQuery { Workflow = "hourly", Limit = 1000 })).Count;

    [Fact]
    public async Task Tick_BeforeAndAtTheHour_StartsOneRunAtTheTick()
    {
        var (server, clock) = await StartAsync();
        await using var _ = server;
        var runner = server.Engine.Schedules;

        clock.Advance(TimeSpan.FromMinutes(29));
        var early = await runner.RunDueAsync();
        clock.Advance(TimeSpan.FromMinutes(1));
        var due = await runner.RunDueAsync();
        var again = await runner.RunDueAsync();

        Assert.Empty(early);
        Assert.Single(due);
        Assert.Empty(again);
        Assert.Equal(1, await RunCountAsync(server));
        var schedule = Assert.Single((await server.GetJsonAsync("/api/schedules")).EnumerateArray());
        Assert.Equal(due[0], schedule.GetProperty("lastRunId").GetString());
    }

    [Fact]
    public async Task TwoServersOnOneStore_OneTick_StartOneRun()
    {
        var clock = new FakeTimeProvider(Start);
        var store = new MemoryStore();
        void Shared(Microsoft.AspNetCore.Builder.WebApplicationBuilder b)
        {
            b.Services.AddSingleton<TimeProvider>(clock);
            b.Services.AddSingleton<IWeftStore>(store);
        }

        await using var first = await TestServer.StartAsync(o => o.EnableSchedules = false, Shared);
        await using var second = await TestServer.StartAsync(o => o.EnableSchedules = false, Shared);
        await first.Client.PostAsJsonAsync("/api/workflows", new { definition = Hourly("none") });

        clock.Advance(TimeSpan.FromMinutes(30));
        var results = await Task.WhenAll(first.Engine.Schedules.RunDueAsync().AsTask(), second.Engine.Schedules.RunDueAsync().AsTask());

        Assert.Equal(1, results.Sum(r => r.Count));
        Assert.Single(await store.ListRunsAsync(new RunQuery { Workflow = "hourly" }));
        var shown = Assert.Single((await second.GetJsonAsync("/api/schedules")).EnumerateArray());
        Assert.Equal(results.Single(r => r.Count == 1)[0], shown.GetProperty("lastRunId").GetString());
    }

    [Theory]
    [InlineData("none", 0)]
    [InlineData("latest", 1)]
    [InlineData("all", 5)]
    public async Task CatchUp_AfterFiveHoursDown_FollowsThePolicy(string catchUp, int expected)
    {
        var (server, clock) = await StartAsync(catchUp);
        await using var _ = server;
        var runner = server.Engine.Schedules;

        // Down from 00:30 to 05:45: ticks at 01:00..05:00 were missed; 05:45 is past the grace.
        clock.Advance(TimeSpan.FromHours(5) + TimeSpan.FromMinutes(15));
        var started = await runner.RunDueAsync();

        Assert.Equal(expected, started.Count);
        Assert.Equal(expected, await RunCountAsync(server));
    }

    [Fact]
    public async Task PausedSchedule_SkipsTicks_ResumeAndTriggerWork()
    {
        var (server, clock) = await StartAsync("all");
        await using var _ = server;
        var runner = server.Engine.Schedules;

        await server.Client.PostAsync("/api/schedules/hourly/pause", null);
        clock.Advance(TimeSpan.FromHours(2));
        var whilePaused = await runner.RunDueAsync();
        await server.Client.PostAsync("/api/schedules/hourly/resume", null);
        var afterResume = await runner.RunDueAsync();
        var trigger = await server.Client.PostAsync("/api/schedules/hourly/trigger", null);

        Assert.Empty(whilePaused);
        Assert.Empty(afterResume);
        Assert.Equal(System.Net.HttpStatusCode.Created, trigger.StatusCode);
        Assert.Equal(1, await RunCountAsync(server));
    }

    [Fact]
    public void DedupKey_NamesWorkflowAndTickInUtc() =>
        Assert.Equal("schedule:hourly:2026-03-01T01:00:00Z", ScheduleService.DedupKey("hourly", new DateTimeOffset(2026, 3, 1, 2, 0, 0, TimeSpan.FromHours(1))));

    [Fact]
    public async Task Restart_AfterFiveHoursDown_CatchesUpFromTheLastTickTheStoreHas()
    {
        var clock = new FakeTimeProvider(Start);
        var store = new MemoryStore();
        void Shared(Microsoft.AspNetCore.Builder.WebApplicationBuilder b)
        {
            b.Services.AddSingleton<TimeProvider>(clock);
            b.Services.AddSingleton<IWeftStore>(store);
        }

        await using (var before = await TestServer.StartAsync(o => o.EnableSchedules = false, Shared))
        {
            await before.Client.PostAsJsonAsync("/api/workflows", new { definition = Hourly("all") });
            clock.Advance(TimeSpan.FromMinutes(30));
            Assert.Single(await before.Engine.Schedules.RunDueAsync());
        }

        clock.Advance(TimeSpan.FromHours(5));
        await using var after = await TestServer.StartAsync(o => o.EnableSchedules = false, Shared);
        await after.Client.PostAsJsonAsync("/api/workflows", new { definition = Hourly("all") });

        var caughtUp = await after.Engine.Schedules.RunDueAsync();

        Assert.Equal(5, caughtUp.Count);
        Assert.Equal(6, (await store.ListRunsAsync(new RunQuery { Workflow = "hourly", Limit = 100 })).Count);
        Assert.Empty(await after.Engine.Schedules.RunDueAsync());
    }

    [Fact]
    public async Task Restart_OnOneSqliteFile_RegisteredWorkflowsAndPausedScheduleSurvive()
    {
        var directory = Path.Combine(Path.GetTempPath(), "weft-schedules-" + Guid.NewGuid().ToString("N"));
        var file = Path.Combine(directory, "weft.db");
        var clock = new FakeTimeProvider(Start);
        var stores = new List<SqliteStore>();
        try
        {
            async Task<TestServer> StartOnFileAsync()
            {
                var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { Path = file });
                stores.Add(store);
                return await TestServer.StartAsync(o => o.EnableSchedules = false, b =>
                {
                    b.Services.AddSingleton<TimeProvider>(clock);
                    b.Services.AddSingleton<IWeftStore>(store);
                });
            }

            await using (var before = await StartOnFileAsync())
            {
                await before.Client.PostAsJsonAsync("/api/workflows", new { definition = Hourly("all") });
                await before.Client.PostAsJsonAsync("/api/workflows", new { definition = Hourly("all") + "# v2\n" });
                Assert.True((await before.Client.PostAsync("/api/schedules/hourly/pause", null)).IsSuccessStatusCode);
            }

            clock.Advance(TimeSpan.FromHours(3));
            await using var after = await StartOnFileAsync();
            var versions = await after.GetJsonAsync("/api/workflows/hourly");
            var schedule = Assert.Single((await after.GetJsonAsync("/api/schedules")).EnumerateArray());
            var whilePaused = await after.Engine.Schedules.RunDueAsync();

            Assert.Equal([1, 2], versions.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
            Assert.True(schedule.GetProperty("paused").GetBoolean());
            Assert.Empty(whilePaused);
            Assert.Equal(0, await RunCountAsync(after));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }

            Directory.Delete(directory, recursive: true);
        }
    }
}
