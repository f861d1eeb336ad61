using Microsoft.Extensions.DependencyInjection;
using Weft.Definitions;
using Weft.Storage;

namespace Weft.Server.Tests;

public sealed class LoadTests
{
    [Fact]
    public async Task TenThousandRuns_ApiAndDashboardServeOnePage()
    {
        var store = new MemoryStore();
        var definition = Workflow.Create("bulk").Task("a", t => t.Noop()).Build();
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 10_000; i++)
        {
            await store.CreateRunAsync(new RunRecord($"run{i:D5}", definition, new Dictionary<string, string>(), start.AddSeconds(i)));
        }

        await using var server = await TestServer.StartAsync(customize: b => b.Services.AddSingleton<IWeftStore>(store));

        var page = await server.GetJsonAsync("/api/runs?limit=50");
        var last = await server.GetJsonAsync("/api/runs?limit=50&offset=9950");
        var dashboard = await server.Client.GetStringAsync("/dashboard/");

        Assert.Equal(50, page.GetProperty("items").GetArrayLength());
        Assert.Equal("run09999", page.GetProperty("items")[0].GetProperty("runId").GetString());
        Assert.True(page.GetProperty("hasMore").GetBoolean());
        Assert.Equal(50, last.GetProperty("items").GetArrayLength());
        Assert.False(last.GetProperty("hasMore").GetBoolean());

        // The page itself carries no runs: it fetches one page of 50 from the API.
        Assert.DoesNotContain("run0", dashboard, StringComparison.Ordinal);
        Assert.Contains("limit: 50", await server.Client.GetStringAsync("/dashboard/runs.js"), StringComparison.Ordinal);
        Assert.Equal(10_000, (await server.GetJsonAsync("/api/run-counts")).GetProperty("pending").GetInt32());
    }
}
