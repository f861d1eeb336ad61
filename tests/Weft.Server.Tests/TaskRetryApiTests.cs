using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Weft.Server.Tests;

/// <summary><c>POST /api/runs/{id}/retry</c> with <c>{"tasks": [...]}</c>: a failed task and what
/// depends on it run again in a new run; the rest keep their results.</summary>
public sealed class TaskRetryApiTests
{
    private static async Task<(TestServer Server, string RunId)> FailedRunAsync()
    {
        var server = await TestServer.StartAsync();
        var loads = 0;
        server.Engine.Functions.Register("flaky", _ => Interlocked.Increment(ref loads) == 1 ? throw new InvalidOperationException("db down") : "loaded");
        server.Engine.Functions.Register("broken", _ => throw new InvalidOperationException("smtp refused"));
        var runId = await server.SubmitAsync(Workflows.Flaky);
        await server.WaitAsync(runId);
        return (server, runId);
    }

    private static Dictionary<string, string> States(JsonElement run) =>
        run.GetProperty("tasks").EnumerateArray().ToDictionary(t => t.GetProperty("taskId").GetString()!, t => t.GetProperty("state").GetString()!);

    [Fact]
    public async Task Retry_WithTasks_RunsThemAndTheirDependentsAgainInANewRun()
    {
        var (server, runId) = await FailedRunAsync();
        await using var owned = server;

        var retry = await server.Client.PostAsJsonAsync($"/api/runs/{runId}/retry", new { tasks = new[] { "load" } });
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        var newId = (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        await server.WaitAsync(newId);

        var run = await server.GetJsonAsync($"/api/runs/{newId}");
        var states = States(run);
        Assert.Equal("cached", states["extract"]);
        Assert.Equal("succeeded", states["load"]);
        Assert.Equal("succeeded", states["report"]);
        Assert.Equal("failed", states["mail"]);
        Assert.Equal("failed", run.GetProperty("state").GetString());
        Assert.Equal("failed", States(await server.GetJsonAsync($"/api/runs/{runId}"))["load"]);
        var listed = (await server.GetJsonAsync($"/api/runs?q={newId}")).GetProperty("items")[0];
        Assert.Equal($"retry of {runId} (task load)", listed.GetProperty("triggeredBy").GetString());
    }

    [Fact]
    public async Task Retry_WithTasks_BadChoices_AreProblemsNamingTheTaskAndStartNothing()
    {
        var (server, runId) = await FailedRunAsync();
        await using var owned = server;
        var before = (await server.GetJsonAsync("/api/runs")).GetProperty("items").GetArrayLength();

        var succeeded = await server.Client.PostAsJsonAsync($"/api/runs/{runId}/retry", new { tasks = new[] { "extract" } });
        var unknown = await server.Client.PostAsJsonAsync($"/api/runs/{runId}/retry", new { tasks = new[] { "nope" } });
        var empty = await server.Client.PostAsJsonAsync($"/api/runs/{runId}/retry", new { tasks = Array.Empty<string>() });
        var wrongType = await server.Client.PostAsync($"/api/runs/{runId}/retry", new StringContent("""{"tasks": "load"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Conflict, succeeded.StatusCode);
        Assert.Contains($"task 'extract' of run '{runId}' is succeeded", (await succeeded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("has no task 'nope'", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("tasks")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.True((await wrongType.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("tasks", out _));
        Assert.Equal(before, (await server.GetJsonAsync("/api/runs")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Retry_WithTasks_RunNotFinished_409()
    {
        await using var server = await TestServer.StartAsync();
        var runId = await server.SubmitAsync(Workflows.Slow);

        var retry = await server.Client.PostAsJsonAsync($"/api/runs/{runId}/retry", new { tasks = new[] { "wait" } });

        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
        Assert.Contains("a task can be retried only once its run has finished", await retry.Content.ReadAsStringAsync());
        await server.Client.PostAsync($"/api/runs/{runId}/cancel", null);
    }

    [Fact]
    public async Task CliRetryTask_WithServer_RerunsTheTaskThere_AndRefusesASucceededOneWithExit2()
    {
        var (server, runId) = await FailedRunAsync();
        await using var owned = server;

        var (code, output, error) = await WeftAsync("runs", "retry", runId, "--task", "load", "--server", server.Address, "--json");
        var refused = await WeftAsync("runs", "retry", runId, "--task", "extract", "--server", server.Address);

        Assert.True(code == 1, error); // `mail` still failed
        var tasks = JsonDocument.Parse(output).RootElement.GetProperty("tasks");
        Assert.Equal("cached", tasks.GetProperty("extract").GetProperty("state").GetString());
        Assert.Equal("succeeded", tasks.GetProperty("load").GetProperty("state").GetString());
        Assert.Equal("succeeded", tasks.GetProperty("report").GetProperty("state").GetString());
        Assert.Equal("failed", tasks.GetProperty("mail").GetProperty("state").GetString());
        Assert.Equal(2, refused.Code);
        Assert.Contains($"task 'extract' of run '{runId}' is succeeded", refused.Error, StringComparison.Ordinal);
        Assert.Equal("", refused.Out);
    }

    private static async Task<(int Code, string Out, string Error)> WeftAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Weft.Cli.WeftCli.InvokeAsync(args, Weft.Cli.CliIo.Redirected(output, error));
        return (code, output.ToString(), error.ToString());
    }
}
