using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Weft.Server.Tests;

public sealed class NotBeforeTests
{
    [Fact]
    public async Task Submit_NotBeforeInTheFuture_202PendingUntilTheClockGetsThere()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var server = await TestServer.StartAsync(o => o.EnableSchedules = false, b => b.Services.AddSingleton<TimeProvider>(clock));

        var response = await server.Client.PostAsJsonAsync("/api/runs", new { definition = Workflows.Hello, notBefore = clock.GetUtcNow().AddMinutes(10) });
        var runId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        var before = await server.GetJsonAsync($"/api/runs/{runId}");
        var stored = await server.Engine.Store.GetRunAsync(runId); // recorded at once, so a restart keeps it
        clock.Advance(TimeSpan.FromMinutes(10));
        await WaitUntilAsync(() => server.Engine.GetRun(runId)?.State == RunState.Succeeded);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("pending", before.GetProperty("state").GetString());
        Assert.Equal(RunState.Pending, stored!.State);
        Assert.Equal(clock.GetUtcNow(), server.Engine.GetRun(runId)!.StartedAt);
    }

    [Fact]
    public async Task Submit_NotBeforeWithUnknownParam_400Now()
    {
        await using var server = await TestServer.StartAsync();

        var response = await server.Client.PostAsJsonAsync("/api/runs", new { definition = Workflows.Hello, @params = new { x = "1" }, notBefore = DateTimeOffset.UtcNow.AddHours(1) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("params", out _));
    }

    [Fact]
    public async Task Submit_NotBeforePastTheHorizon_400NamingNotBeforeAndNothingStored()
    {
        await using var server = await TestServer.StartAsync(o => o.EnableSchedules = false);

        var response = await server.Client.PostAsJsonAsync("/api/runs", new { definition = Workflows.Hello, notBefore = DateTimeOffset.UtcNow.AddDays(400) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("365d", errors.GetProperty("notBefore")[0].GetString());
        Assert.Empty(await server.Engine.Store.ListRunsAsync(new Weft.Storage.RunQuery()));
    }

    // The run starts on a timer of the fake clock, then runs on the engine's slots; wait for it, bounded.
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the delayed run did not finish within 10 s");
            await Task.Delay(10);
        }
    }
}
