using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Weft.Server.Tests;

/// <summary><c>POST /api/runs/{id}/tasks/{task}/signal</c>: approve with data, reject, and the refusals
/// (a task that is not waiting is a 409 naming its state; an unknown run or task a 404).</summary>
public sealed class SignalApiTests
{
    private const string Approval = """
        name: approval
        tasks:
          approve:
            wait: { signal: approval, timeout: 1h }
          deploy:
            dependsOn: approve
            shell: 'echo "deploying {{ tasks.approve.output.version }}"'
        """;

    private static async Task WaitingAsync(TestServer server, string runId)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await server.GetJsonAsync($"/api/runs/{runId}")).GetProperty("tasks")[0].GetProperty("state").GetString() != "waiting")
        {
            await Task.Delay(20, limit.Token);
        }
    }

    [Fact]
    public async Task Approve_WithData_TheTaskSucceedsWithIt_AndTheSignalNamesItsOrigin()
    {
        await using var server = await TestServer.StartAsync();
        var runId = await server.SubmitAsync(Approval);
        await WaitingAsync(server, runId);
        var task = (await server.GetJsonAsync($"/api/runs/{runId}")).GetProperty("tasks")[0];
        Assert.Equal("api 127.0.0.1", (await server.GetJsonAsync($"/api/runs/{runId}")).GetProperty("triggeredBy").GetString());
        Assert.Equal("api 127.0.0.1", (await server.GetJsonAsync("/api/runs")).GetProperty("items")[0].GetProperty("triggeredBy").GetString());
        Assert.StartsWith("waits for signal 'approval', at most until ", task.GetProperty("waitReason").GetString(), StringComparison.Ordinal);

        var early = await server.Client.PostAsJsonAsync($"/api/runs/{runId}/tasks/deploy/signal", new { });
        var answer = await server.Client.PostAsJsonAsync($"/api/runs/{runId}/tasks/approve/signal", new { data = new { version = "2.0" }, origin = "dashboard" });
        var run = await server.WaitAsync(runId);

        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("is pending, not waiting", (await early.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var body = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("approve", body.GetProperty("action").GetString());
        Assert.Equal("succeeded", body.GetProperty("state").GetString());
        Assert.StartsWith("dashboard ", body.GetProperty("origin").GetString(), StringComparison.Ordinal);
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal("deploying 2.0", run.Tasks.Single(t => t.TaskId == "deploy").Output?.Trim());

        var late = await server.Client.PostAsJsonAsync($"/api/runs/{runId}/tasks/approve/signal", new { reject = true });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("is succeeded, not waiting", (await late.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reject_FailsTheTask_AndUnknownRunsOrTasksAre404()
    {
        await using var server = await TestServer.StartAsync();
        var runId = await server.SubmitAsync(Approval);
        await WaitingAsync(server, runId);

        var unknownRun = await server.Client.PostAsync("/api/runs/nope/tasks/approve/signal", null);
        var unknownTask = await server.Client.PostAsync($"/api/runs/{runId}/tasks/aprove/signal", null);
        var reject = await server.Client.PostAsJsonAsync($"/api/runs/{runId}/tasks/approve/signal", new { reject = true });
        var run = await server.WaitAsync(runId);

        Assert.Equal(HttpStatusCode.NotFound, unknownRun.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownTask.StatusCode);
        Assert.Contains("has no task 'aprove'", (await unknownTask.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, reject.StatusCode);
        Assert.Equal(RunState.Failed, run.State);
        Assert.StartsWith("rejected by api ", run.Tasks[0].Error, StringComparison.Ordinal);
    }
}
