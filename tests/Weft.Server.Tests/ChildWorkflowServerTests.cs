using System.Net.Http.Json;

namespace Weft.Server.Tests;

/// <summary>Child workflows through the API and the dashboard: a run view names its parent run and task
/// and lists the child runs of its workflow tasks; the run page links a workflow task to its child run and
/// the child run back to its parent, and the Runs page says a child was triggered by its parent run.</summary>
public sealed class ChildWorkflowServerTests
{
    private const string Gate = """
        name: gate
        tasks:
          approve: { wait: { signal: go } }
        """;

    private const string Outer = """
        name: outer
        tasks:
          sub: { workflow: gate }
          after: { shell: echo after, dependsOn: sub }
        """;

    private static async Task<string> ChildAsync(TestServer server, string runId)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var children = (await server.GetJsonAsync($"/api/runs/{runId}")).GetProperty("children");
            if (children.GetArrayLength() == 1 && (await server.GetJsonAsync($"/api/runs/{children[0].GetProperty("runId").GetString()}"))
                .GetProperty("tasks")[0].GetProperty("state").GetString() == "waiting")
            {
                return children[0].GetProperty("runId").GetString()!;
            }

            await Task.Delay(20, limit.Token);
        }
    }

    [Fact]
    public async Task RunViews_NameTheParent_AndListTheChildren()
    {
        await using var server = await TestServer.StartAsync();
        await server.Engine.Workflows.RegisterAsync(Gate, "gate.yaml");
        var runId = await server.SubmitAsync(Outer);
        var childId = await ChildAsync(server, runId);

        var parent = await server.GetJsonAsync($"/api/runs/{runId}");
        var child = await server.GetJsonAsync($"/api/runs/{childId}");
        var listed = (await server.GetJsonAsync("/api/runs")).GetProperty("items").EnumerateArray().Single(r => r.GetProperty("runId").GetString() == childId);

        var entry = parent.GetProperty("children")[0];
        Assert.Equal(("gate", "running", "sub"), (entry.GetProperty("workflow").GetString(), entry.GetProperty("state").GetString(), entry.GetProperty("parentTaskId").GetString()));
        Assert.Equal($"child run {childId} (gate)", parent.GetProperty("tasks")[0].GetProperty("waitReason").GetString());
        Assert.Equal((runId, "sub"), (child.GetProperty("parentRunId").GetString(), child.GetProperty("parentTaskId").GetString()));
        Assert.Equal($"parent {runId}/sub", child.GetProperty("triggeredBy").GetString());
        Assert.Equal(runId, listed.GetProperty("parentRunId").GetString());
        Assert.Equal(0, child.GetProperty("children").GetArrayLength());

        await server.Client.PostAsJsonAsync($"/api/runs/{childId}/tasks/approve/signal", new { });
        Assert.Equal(RunState.Succeeded, (await server.WaitAsync(runId)).State);
    }

    [Fact]
    public async Task Dashboard_LinksAWorkflowTaskToItsChildRun_AndTheChildBackToItsParent()
    {
        await using var server = await TestServer.StartAsync();
        await server.Engine.Workflows.RegisterAsync(Gate, "gate.yaml");
        var runId = await server.SubmitAsync(Outer);
        var childId = await ChildAsync(server, runId);
        using var b = DashboardBrowser.Start(server);

        b.Open($"#/runs/{runId}?task=sub");
        b.Until(() => b.All("#child-runs a").Count == 1, "the workflow task's child run listed in its panel");
        Assert.Contains(childId[..12], b.Text("#child-runs"), StringComparison.Ordinal);
        Assert.Empty(b.All("#run-approve"));
        b.Save("child-1-parent");
        b.Click("#child-runs a");
        b.Until(() => b.Text("#parent-run").Contains(runId[..12], StringComparison.Ordinal), "the child run page names its parent run");
        Assert.Contains("triggered by: parent run", b.Text("#parent-run"), StringComparison.Ordinal);
        Assert.Contains(childId, b.Browser.Url, StringComparison.Ordinal);

        b.Open("#/runs");
        b.Until(() => b.All($"tr[data-run='{childId}'] .triggered-by a").Count == 1, "the Runs page says the child was triggered by its parent run");
        Assert.Equal($"parent run {runId[..12]}", b.Text($"tr[data-run='{childId}'] .triggered-by"));
        b.Save("child-2-runs");

        await server.Client.PostAsJsonAsync($"/api/runs/{childId}/tasks/approve/signal", new { });
        Assert.Equal(RunState.Succeeded, (await server.WaitAsync(runId)).State);
    }
}
