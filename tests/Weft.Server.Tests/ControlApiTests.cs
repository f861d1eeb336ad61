using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Weft.Server.Tests;

public sealed class ControlApiTests
{
    [Fact]
    public async Task Cancel_RunningRun_EndsCancelled_SecondCancelIs409()
    {
        await using var server = await TestServer.StartAsync();
        var runId = await server.SubmitAsync(Workflows.Slow);

        var cancel = await server.Client.PostAsync($"/api/runs/{runId}/cancel", null);
        await server.WaitAsync(runId);
        var again = await server.Client.PostAsync($"/api/runs/{runId}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", (await server.GetJsonAsync($"/api/runs/{runId}")).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task PauseThenResume_RunGoesPausedThenRunning()
    {
        await using var server = await TestServer.StartAsync();
        var runId = await server.SubmitAsync(Workflows.Slow);

        var pause = await server.Client.PostAsync($"/api/runs/{runId}/pause", null);
        var paused = (await server.GetJsonAsync($"/api/runs/{runId}")).GetProperty("state").GetString();
        var resume = await server.Client.PostAsync($"/api/runs/{runId}/resume", null);
        var resumedAgain = await server.Client.PostAsync($"/api/runs/{runId}/resume", null);

        Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        Assert.Equal("paused", paused);
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        Assert.Equal("running", (await server.GetJsonAsync($"/api/runs/{runId}")).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, resumedAgain.StatusCode);
        await server.Client.PostAsync($"/api/runs/{runId}/cancel", null);
    }

    [Fact]
    public async Task Retry_FinishedRun_NewRunReusesSucceededTasks()
    {
        await using var server = await TestServer.StartAsync();
        var runId = await server.SubmitAsync(Workflows.Hello);
        await server.WaitAsync(runId);

        var retry = await server.Client.PostAsync($"/api/runs/{runId}/retry", null);
        var newId = (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        await server.WaitAsync(newId);

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.NotEqual(runId, newId);
        var tasks = (await server.GetJsonAsync($"/api/runs/{newId}")).GetProperty("tasks").EnumerateArray();
        Assert.All(tasks, t => Assert.Equal("cached", t.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task Controls_UnknownRun_404()
    {
        await using var server = await TestServer.StartAsync();

        foreach (var action in new[] { "cancel", "pause", "resume", "retry" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await server.Client.PostAsync($"/api/runs/nope/{action}", null)).StatusCode);
        }
    }

    [Fact]
    public async Task WorkersStatusAndWorkflows_Respond()
    {
        await using var server = await TestServer.StartAsync();

        var workers = await server.GetJsonAsync("/api/workers");
        var status = await server.GetJsonAsync("/api/status");
        var register = await server.Client.PostAsJsonAsync("/api/workflows", new { definition = Workflows.Hello });
        var same = await server.Client.PostAsJsonAsync("/api/workflows", new { definition = Workflows.Hello });
        var byName = await server.Client.PostAsJsonAsync("/api/runs", new { workflow = "hello" });
        var versions = await server.GetJsonAsync("/api/workflows/hello");

        Assert.Equal(4, Assert.Single(workers.EnumerateArray()).GetProperty("slots").GetInt32());
        Assert.Equal("healthy", status.GetProperty("health").GetString());
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(HttpStatusCode.Created, byName.StatusCode);
        Assert.Equal(1, versions.GetProperty("versions").GetArrayLength());
    }

    [Fact]
    public async Task OpenApi_DocumentListsTheRunsEndpoint()
    {
        await using var server = await TestServer.StartAsync();

        var document = await server.Client.GetStringAsync("/api/openapi/weft.json");

        Assert.Contains("/api/runs/{runId}/cancel", document, StringComparison.Ordinal);
    }
}
