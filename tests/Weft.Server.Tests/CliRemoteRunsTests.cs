using System.Text.Json;
using Weft.Cli;

namespace Weft.Server.Tests;

/// <summary><c>weft runs list|show|output|cancel|retry|resume --server</c> and <c>weft status --server</c>:
/// the local commands' output shapes and exit codes, through a real server's API.</summary>
public sealed class CliRemoteRunsTests
{
    private const string PausesBetween = """
        name: pausable
        tasks:
          first:
            sleep: 1s
          then:
            shell: echo after-resume
            dependsOn: [first]
        """;

    private static async Task<(int Code, string Out, string Error)> WeftAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await WeftCli.InvokeAsync(args, CliIo.Redirected(output, error));
        return (code, output.ToString(), error.ToString());
    }

    private static async Task<(TestServer Server, string RunId)> ServerWithFinishedRunAsync()
    {
        var server = await TestServer.StartAsync();
        var runId = await server.SubmitAsync(Workflows.Hello);
        await server.WaitAsync(runId);
        return (server, runId);
    }

    [Fact]
    public async Task List_Json_SameArrayShape_NewestFirst()
    {
        var (server, first) = await ServerWithFinishedRunAsync();
        await using var _ = server;
        var second = await server.SubmitAsync(Workflows.Hello);
        await server.WaitAsync(second);

        var (code, output, error) = await WeftAsync("runs", "list", "--server", server.Address, "--json");
        var text = await WeftAsync("runs", "list", "--server", server.Address, "--workflow", "hello", "--since", "1h", "--limit", "1");

        Assert.True(code == 0, error);
        var runs = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        Assert.Equal([second, first], runs.Select(r => r.GetProperty("runId").GetString()));
        Assert.Equal(["runId", "workflow", "state", "startedAt", "finishedAt", "triggeredBy"], runs[0].EnumerateObject().Select(p => p.Name));
        Assert.StartsWith("api ", runs[0].GetProperty("triggeredBy").GetString(), StringComparison.Ordinal);
        Assert.Equal("succeeded", runs[0].GetProperty("state").GetString());
        Assert.Equal(0, text.Code);
        Assert.Contains(second, text.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(first, text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_Json_IsTheRunJsonDocument_TextShowsTasks()
    {
        var (server, runId) = await ServerWithFinishedRunAsync();
        await using var _ = server;

        var (code, output, error) = await WeftAsync("runs", "show", runId, "--server", server.Address, "--json");
        var text = await WeftAsync("runs", "show", runId, "--server", server.Address);

        Assert.True(code == 0, error);
        var doc = JsonDocument.Parse(output).RootElement;
        Assert.Equal(runId, doc.GetProperty("runId").GetString());
        Assert.Equal("succeeded", doc.GetProperty("state").GetString());
        Assert.Contains("hello-from-weft", doc.GetProperty("tasks").GetProperty("greet").GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("api ", doc.GetProperty("triggeredBy").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, text.Code);
        Assert.Contains("greet", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_PrintsTheRawOutput_UnknownTaskOrAttempt2()
    {
        var (server, runId) = await ServerWithFinishedRunAsync();
        await using var _ = server;

        var (code, output, error) = await WeftAsync("runs", "output", runId, "greet", "--server", server.Address);
        var first = await WeftAsync("runs", "output", runId, "greet", "--attempt", "1", "--server", server.Address);
        var noTask = await WeftAsync("runs", "output", runId, "nope", "--server", server.Address);
        var noAttempt = await WeftAsync("runs", "output", runId, "greet", "--attempt", "5", "--server", server.Address);

        Assert.True(code == 0, error);
        Assert.Equal("hello-from-weft", output.Trim());
        Assert.Equal(output, first.Out);
        Assert.Equal(2, noTask.Code);
        Assert.Contains("has no task 'nope'", noTask.Error, StringComparison.Ordinal);
        Assert.Equal(2, noAttempt.Code);
        Assert.Contains("there is no attempt 5", noAttempt.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_RunningRunIsCancelled_FinishedRunExit2()
    {
        await using var server = await TestServer.StartAsync();
        var slow = await server.SubmitAsync(Workflows.Slow);

        var (code, output, error) = await WeftAsync("runs", "cancel", slow, "--server", server.Address);
        var again = await WeftAsync("runs", "cancel", slow, "--server", server.Address);

        Assert.True(code == 0, error);
        Assert.StartsWith($"cancelled run {slow} (slow): ", output, StringComparison.Ordinal);
        Assert.Equal("cancelled", (await server.GetJsonAsync($"/api/runs/{slow}")).GetProperty("state").GetString());
        Assert.Equal(2, again.Code);
        Assert.Contains("already finished (cancelled)", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_FollowsTheNewRun_JsonDocumentAndExitCode()
    {
        var (server, runId) = await ServerWithFinishedRunAsync();
        await using var _ = server;

        var (code, output, error) = await WeftAsync("runs", "retry", runId, "--server", server.Address, "--json");
        var text = await WeftAsync("runs", "retry", runId, "--server", server.Address);

        Assert.True(code == 0, error);
        var doc = JsonDocument.Parse(output).RootElement;
        Assert.NotEqual(runId, doc.GetProperty("runId").GetString());
        Assert.Equal("succeeded", doc.GetProperty("state").GetString());
        Assert.Equal("cached", doc.GetProperty("tasks").GetProperty("greet").GetProperty("state").GetString());
        Assert.Equal(0, text.Code);
        Assert.Contains("greet", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_FailedRun_Exit1()
    {
        await using var server = await TestServer.StartAsync();
        var failed = await server.SubmitAsync("name: fails\ntasks:\n  boom:\n    shell: exit 3\n");
        await server.WaitAsync(failed);

        var (code, output, _) = await WeftAsync("runs", "retry", failed, "--server", server.Address, "--json");

        Assert.Equal(1, code);
        Assert.Equal("failed", JsonDocument.Parse(output).RootElement.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Pause_RunningRunStartsNothingNewUntilResumed_AFinishedRunOrNoServerIsExit2()
    {
        await using var server = await TestServer.StartAsync();
        var runId = await server.SubmitAsync(PausesBetween);

        var (code, output, error) = await WeftAsync("runs", "pause", runId, "--server", server.Address);

        Assert.True(code == 0, error);
        Assert.StartsWith($"paused run {runId} (pausable):", output, StringComparison.Ordinal);
        var paused = JsonDocument.Parse(await server.Client.GetStringAsync($"/api/runs/{runId}")).RootElement;
        Assert.Equal("paused", paused.GetProperty("state").GetString());
        var again = await WeftAsync("runs", "pause", runId, "--server", server.Address);
        Assert.Equal(2, again.Code);
        Assert.Contains("is paused; only a running run can be paused", again.Error, StringComparison.Ordinal);

        var resumed = await WeftAsync("runs", "resume", runId, "--server", server.Address, "--json");
        Assert.True(resumed.Code == 0, resumed.Error);
        var doc = JsonDocument.Parse(resumed.Out).RootElement;
        Assert.Equal("succeeded", doc.GetProperty("state").GetString());
        Assert.Contains("after-resume", doc.GetProperty("tasks").GetProperty("then").GetProperty("output").GetString(), StringComparison.Ordinal);

        var finished = await WeftAsync("runs", "pause", runId, "--server", server.Address);
        Assert.Equal(2, finished.Code);
        Assert.Contains("is succeeded; only a running run can be paused", finished.Error, StringComparison.Ordinal);
        var local = await WeftAsync("runs", "pause", runId, "--store", "memory");
        Assert.Equal(2, local.Code);
        Assert.Contains("the memory store keeps no runs between commands", local.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signal_ThroughTheServer_ApprovesWithData_AndATaskNotWaitingIsExit2()
    {
        await using var server = await TestServer.StartAsync();
        var runId = await server.SubmitAsync("""
            name: approval
            tasks:
              approve: { wait: { signal: approval } }
              deploy: { dependsOn: approve, shell: 'echo "v={{ tasks.approve.output.v }}"' }
            """);
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (JsonDocument.Parse(await server.Client.GetStringAsync($"/api/runs/{runId}", limit.Token)).RootElement
                       .GetProperty("tasks")[0].GetProperty("state").GetString() != "waiting")
            {
                await Task.Delay(20, limit.Token);
            }
        }

        var early = await WeftAsync("runs", "signal", runId, "deploy", "--server", server.Address);
        var (code, output, error) = await WeftAsync("runs", "signal", runId, "approve", "--data", """{"v":3}""", "--server", server.Address);
        var run = await server.WaitAsync(runId);

        Assert.Equal(2, early.Code);
        Assert.Contains("is pending, not waiting", early.Error, StringComparison.Ordinal);
        Assert.True(code == 0, error);
        Assert.StartsWith($"approved task approve of run {runId} (signal ", output, StringComparison.Ordinal);
        Assert.Equal("v=3", run.Tasks.Single(t => t.TaskId == "deploy").Output?.Trim());
        Assert.StartsWith("signal from cli ", run.Tasks[0].AttemptHistory[0].Worker, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resume_PausedRunContinues_FinishedRunShownAsItIs()
    {
        await using var server = await TestServer.StartAsync();
        var runId = await server.SubmitAsync(PausesBetween);
        var pause = await server.Client.PostAsync($"/api/runs/{runId}/pause", null);
        Assert.True(pause.IsSuccessStatusCode, await pause.Content.ReadAsStringAsync());

        var (code, output, error) = await WeftAsync("runs", "resume", runId, "--server", server.Address, "--json");
        var finished = await WeftAsync("runs", "resume", runId, "--server", server.Address, "--json");

        Assert.True(code == 0, error);
        var doc = JsonDocument.Parse(output).RootElement;
        Assert.Equal(runId, doc.GetProperty("runId").GetString());
        Assert.Equal("succeeded", doc.GetProperty("state").GetString());
        Assert.Contains("after-resume", doc.GetProperty("tasks").GetProperty("then").GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, finished.Code);
        Assert.Equal(output, finished.Out);
    }

    [Fact]
    public async Task Status_Json_SameDocumentShapeAsLocal_TextToo()
    {
        var (server, _) = await ServerWithFinishedRunAsync();
        await using var __ = server;

        var (code, output, error) = await WeftAsync("status", "--server", server.Address, "--json");
        var text = await WeftAsync("status", "--server", server.Address);

        Assert.True(code == 0, error);
        var doc = JsonDocument.Parse(output).RootElement;
        Assert.Equal(
            ["at", "health", "reasons", "slots", "queueDepth", "activeRuns", "throughputPerSecond", "tasksSucceeded", "tasksFailed",
             "workingSetBytes", "gcHeapBytes", "cpuBusy", "cpuIoWait", "processCpu", "cores", "breakers", "connectionPools", "alerts", "store"],
            doc.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Array, doc.GetProperty("connectionPools").ValueKind); // none configured on this server
        Assert.Equal(4, doc.GetProperty("slots").GetProperty("total").GetInt32());
        var store = doc.GetProperty("store");
        Assert.Equal($"server {server.Address}", store.GetProperty("name").GetString());
        Assert.Equal(1, store.GetProperty("runs").GetProperty("succeeded").GetInt32());
        Assert.Equal(0, store.GetProperty("runs").GetProperty("failed").GetInt32());
        Assert.Empty(store.GetProperty("unfinished").EnumerateArray());
        Assert.Equal(0, text.Code);
        Assert.StartsWith("health:", text.Out, StringComparison.Ordinal);
        Assert.Contains("1 succeeded", text.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("show")]
    [InlineData("cancel")]
    [InlineData("retry")]
    [InlineData("resume")]
    public async Task UnknownRun_Exit2WithClearMessage(string verb)
    {
        await using var server = await TestServer.StartAsync();

        var (code, _, error) = await WeftAsync("runs", verb, "no-such-run", "--server", server.Address);

        Assert.Equal(2, code);
        Assert.Contains($"no run with id 'no-such-run' on {server.Address}", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRun_Output_Exit2()
    {
        await using var server = await TestServer.StartAsync();

        var (code, _, error) = await WeftAsync("runs", "output", "no-such-run", "greet", "--server", server.Address);

        Assert.Equal(2, code);
        Assert.Contains("no run with id 'no-such-run'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("runs", "list")]
    [InlineData("runs", "show", "x")]
    [InlineData("runs", "output", "x", "t")]
    [InlineData("runs", "cancel", "x")]
    [InlineData("runs", "retry", "x")]
    [InlineData("runs", "resume", "x")]
    [InlineData("status")]
    public async Task ServerWithStore_Exit2(params string[] command)
    {
        var (code, _, error) = await WeftAsync([.. command, "--server", "http://127.0.0.1:1", "--store", "sqlite:x.db"]);

        Assert.Equal(2, code);
        Assert.Contains("give either --store or --server", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableServer_ClearError_SameExitAsRunServer()
    {
        var (code, _, error) = await WeftAsync("runs", "list", "--server", "http://127.0.0.1:1");
        var status = await WeftAsync("status", "--server", "http://127.0.0.1:1");

        Assert.Equal(1, code);
        Assert.Contains("cannot reach the Weft server", error, StringComparison.Ordinal);
        Assert.Equal(1, status.Code);
        Assert.Contains("cannot reach the Weft server", status.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenOption_IsSentToAServerThatNeedsOne()
    {
        await using var server = await TestServer.StartAsync(o => o.Token = "s3cret-token-for-tests");
        var runId = await SubmitWithTokenAsync(server, "s3cret-token-for-tests");
        await server.WaitAsync(runId);

        var withToken = await WeftAsync("runs", "retry", runId, "--server", server.Address, "--token", "s3cret-token-for-tests", "--json");
        var without = await WeftAsync("runs", "retry", runId, "--server", server.Address, "--json");

        Assert.True(withToken.Code == 0, withToken.Error);
        Assert.NotEqual(0, without.Code);
    }

    private static async Task<string> SubmitWithTokenAsync(TestServer server, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/runs") { Content = System.Net.Http.Json.JsonContent.Create(new { definition = Workflows.Hello }) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await server.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<JsonElement>(response.Content)).GetProperty("runId").GetString()!;
    }
}
