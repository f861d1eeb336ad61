using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Weft.Server.Tests;

public sealed class RunApiTests
{
    [Fact]
    public async Task Submit_InlineYaml_RunSucceedsWithTasksLevelsAndOutput()
    {
        await using var server = await TestServer.StartAsync();

        var runId = await server.SubmitAsync(Workflows.Hello);
        await server.WaitAsync(runId);
        var run = await server.GetJsonAsync($"/api/runs/{runId}");

        Assert.Equal("succeeded", run.GetProperty("state").GetString());
        var tasks = run.GetProperty("tasks").EnumerateArray().ToDictionary(t => t.GetProperty("taskId").GetString()!);
        Assert.Equal(0, tasks["greet"].GetProperty("level").GetInt32());
        Assert.Equal(1, tasks["done"].GetProperty("level").GetInt32());
        Assert.Equal(["greet", "second"], tasks["done"].GetProperty("dependsOn").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(1, tasks["greet"].GetProperty("attemptHistory").GetArrayLength());
        var output = await server.GetJsonAsync($"/api/runs/{runId}/tasks/greet/output");
        Assert.Contains("hello-from-weft", output.GetProperty("output").GetString());
    }

    [Fact]
    public async Task Submit_InvalidYaml_400ProblemNamingDefinitionWithLineAndColumn()
    {
        await using var server = await TestServer.StartAsync();

        var response = await server.Client.PostAsJsonAsync("/api/runs", new { definition = "name: bad\ntasks:\n  a:\n    shel: echo\n" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors").GetProperty("definition").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(errors, e => e.StartsWith("inline.yaml:4:5:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/api/runs?state=done", "state")]
    [InlineData("/api/runs?limit=0", "limit")]
    [InlineData("/api/runs?since=yesterday", "since")]
    [InlineData("/api/runs?offset=-1", "offset")]
    public async Task List_BadQuery_400NamingTheField(string path, string field)
    {
        await using var server = await TestServer.StartAsync();

        var response = await server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Submit_BadPriorityAndUnknownParam_400NamingTheField()
    {
        await using var server = await TestServer.StartAsync();

        var priority = await server.Client.PostAsJsonAsync("/api/runs", new { definition = Workflows.Hello, priority = "urgent" });
        var param = await server.Client.PostAsJsonAsync("/api/runs", new { definition = Workflows.Hello, @params = new { nope = "1" } });
        var neither = await server.Client.PostAsJsonAsync("/api/runs", new { });

        Assert.True((await priority.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("priority", out _));
        Assert.True((await param.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("params", out _));
        Assert.Equal(HttpStatusCode.BadRequest, neither.StatusCode);
    }

    [Fact]
    public async Task List_NewestFirstWithFiltersAndPaging()
    {
        await using var server = await TestServer.StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await server.SubmitAsync(i % 2 == 0 ? Workflows.Hello : Workflows.Hello.Replace("name: hello", "name: other", StringComparison.Ordinal)));
        }

        foreach (var id in ids)
        {
            await server.WaitAsync(id);
        }

        var first = await server.GetJsonAsync("/api/runs?limit=2");
        var second = await server.GetJsonAsync("/api/runs?limit=2&offset=2");
        var hello = await server.GetJsonAsync("/api/runs?workflow=hello&state=succeeded");
        var text = await server.GetJsonAsync($"/api/runs?q={ids[3][^12..]}");

        Assert.Equal([ids[4], ids[3]], first.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("runId").GetString()));
        Assert.True(first.GetProperty("hasMore").GetBoolean());
        Assert.Equal([ids[2], ids[1]], second.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("runId").GetString()));
        Assert.Equal(3, hello.GetProperty("items").GetArrayLength());
        Assert.Equal(ids[3], Assert.Single(text.GetProperty("items").EnumerateArray()).GetProperty("runId").GetString());
    }

    [Fact]
    public async Task GetRunAndOutput_Unknown_404Problem()
    {
        await using var server = await TestServer.StartAsync();

        var run = await server.Client.GetAsync("/api/runs/nope");
        var output = await server.Client.GetAsync("/api/runs/nope/tasks/a/output");

        Assert.Equal(HttpStatusCode.NotFound, run.StatusCode);
        Assert.Equal("application/problem+json", run.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, output.StatusCode);
    }

    [Fact]
    public async Task Secrets_MaskedInParamsOutputsAndEvents()
    {
        await using var server = await TestServer.StartAsync();

        var runId = await server.SubmitAsync(Workflows.Secret);
        await server.WaitAsync(runId);
        var run = await server.Client.GetStringAsync($"/api/runs/{runId}");
        var output = await server.Client.GetStringAsync($"/api/runs/{runId}/tasks/leak/output");
        var events = await server.Client.GetStringAsync($"/api/runs/{runId}/events");

        Assert.DoesNotContain("hunter2-very-secret", run, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-very-secret", output, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-very-secret", events, StringComparison.Ordinal);
        Assert.Contains("pw=***", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_SameDedupKeyTwice_OneRun()
    {
        await using var server = await TestServer.StartAsync();

        var a = await server.Client.PostAsJsonAsync("/api/runs", new { definition = Workflows.Hello, dedupKey = "k1" });
        var b = await server.Client.PostAsJsonAsync("/api/runs", new { definition = Workflows.Hello, dedupKey = "k1" });

        Assert.Equal(HttpStatusCode.Created, a.StatusCode);
        Assert.Equal(HttpStatusCode.OK, b.StatusCode);
        var first = await a.Content.ReadFromJsonAsync<JsonElement>();
        var second = await b.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(first.GetProperty("runId").GetString(), second.GetProperty("runId").GetString());
        Assert.True(second.GetProperty("deduplicated").GetBoolean());
    }
}
