using System.Net.Http.Json;

namespace Weft.Server.Tests;

/// <summary>What the API added for the dashboard: counts by state, a workflow version's graph and
/// parameters (a secret default never sent), a schedule's next ticks. Only added fields, so the
/// existing shapes stay as they were.</summary>
public sealed class DashboardApiTests
{
    [Fact]
    public async Task RunCounts_NameEveryState_AndCountARunningRunAsRunning()
    {
        await using var server = await TestServer.StartAsync();
        var hello = await server.SubmitAsync(Workflows.Hello);
        await server.WaitAsync(hello);
        var slow = await server.SubmitAsync(Workflows.Slow);

        var counts = await server.GetJsonAsync("/api/run-counts");
        Assert.Equal(["pending", "running", "paused", "succeeded", "failed", "cancelled", "timed_out"], counts.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, counts.GetProperty("succeeded").GetInt32());
        Assert.Equal(1, counts.GetProperty("running").GetInt32());
        Assert.Equal(0, counts.GetProperty("pending").GetInt32());
        var listed = (await server.GetJsonAsync("/api/runs")).GetProperty("items")[0];
        Assert.Equal((slow, "running"), (listed.GetProperty("runId").GetString(), listed.GetProperty("state").GetString()));
        await server.Engine.CancelAsync(slow);
    }

    [Fact]
    public async Task WorkflowVersion_HasItsTasksAndParameters_WithoutASecretDefault()
    {
        await using var server = await TestServer.StartAsync();
        const string Definition = """
            name: graph
            params:
              who: { required: true, description: Whom }
              token: { secret: true, default: very-secret-default }
              greeting: { default: hi }
            tasks:
              a:
                noop: {}
              b:
                noop: {}
                dependsOn: [a]
              c:
                noop: {}
                dependsOn: [a, b]
            """;
        var response = await server.Client.PostAsJsonAsync("/api/workflows", new { definition = Definition });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        var raw = await server.Client.GetStringAsync("/api/workflows/graph/versions/1");
        Assert.DoesNotContain("very-secret-default", raw, StringComparison.Ordinal);
        var version = await server.GetJsonAsync("/api/workflows/graph/versions/1");
        Assert.Equal("graph", version.GetProperty("workflow").GetProperty("name").GetString());
        var tasks = version.GetProperty("tasks").EnumerateArray().ToDictionary(t => t.GetProperty("taskId").GetString()!);
        Assert.Equal([0, 1, 2], new[] { "a", "b", "c" }.Select(id => tasks[id].GetProperty("level").GetInt32()));
        Assert.Equal(["a", "b"], tasks["c"].GetProperty("dependsOn").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("noop", tasks["a"].GetProperty("kind").GetString());
        var parameters = version.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        Assert.True(parameters["who"].GetProperty("required").GetBoolean());
        Assert.Equal("Whom", parameters["who"].GetProperty("description").GetString());
        Assert.False(parameters["who"].GetProperty("hasDefault").GetBoolean());
        Assert.Equal("hi", parameters["greeting"].GetProperty("default").GetString());
        Assert.True(parameters["token"].GetProperty("secret").GetBoolean());
        Assert.True(parameters["token"].GetProperty("hasDefault").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, parameters["token"].GetProperty("default").ValueKind);
    }

    [Fact]
    public async Task Schedule_ListsItsNextFiveTicks_NoneWhilePaused()
    {
        await using var server = await TestServer.StartAsync();
        const string Definition = """
            name: nightly
            schedule: { cron: "30 2 * * *", timezone: Europe/Paris }
            tasks:
              a:
                noop: {}
            """;
        var response = await server.Client.PostAsJsonAsync("/api/workflows", new { definition = Definition });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        var schedule = (await server.GetJsonAsync("/api/schedules"))[0];
        var ticks = schedule.GetProperty("nextTicks").EnumerateArray().Select(t => t.GetDateTimeOffset()).ToArray();
        Assert.Equal(5, ticks.Length);
        Assert.Equal(schedule.GetProperty("nextTick").GetDateTimeOffset(), ticks[0]);
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        Assert.All(ticks, t => Assert.Equal(new TimeSpan(2, 30, 0), TimeZoneInfo.ConvertTime(t, paris).TimeOfDay));
        Assert.All(ticks.Zip(ticks.Skip(1)), p => Assert.Equal(1, (TimeZoneInfo.ConvertTime(p.Second, paris).Date - TimeZoneInfo.ConvertTime(p.First, paris).Date).Days));

        Assert.True((await server.Client.PostAsync("/api/schedules/nightly/pause", null)).IsSuccessStatusCode);
        Assert.Empty((await server.GetJsonAsync("/api/schedules"))[0].GetProperty("nextTicks").EnumerateArray());
    }
}
