using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Weft.Definitions;

namespace Weft.Server.Tests;

/// <summary><c>GET /api/breakers</c> and <c>POST /api/breakers/{key}/reset</c>.</summary>
public sealed class BreakerApiTests
{
    /// <summary>Five failures in a row open a breaker at the default threshold.</summary>
    internal const string Tripping = """
        name: tripping
        tasks:
          f1: { shell: exit 1, breaker: flaky }
          f2: { shell: exit 1, breaker: flaky }
          f3: { shell: exit 1, breaker: flaky }
          f4: { shell: exit 1, breaker: flaky }
          f5: { shell: exit 1, breaker: flaky }
        """;

    internal const string Later = """
        name: later
        tasks:
          call: { shell: "true", breaker: flaky }
        """;

    /// <summary>A server whose breaker <c>flaky</c> is open.</summary>
    internal static async Task<TestServer> StartWithOpenBreakerAsync(Action<WeftServerOptions>? configure = null)
    {
        var server = await TestServer.StartAsync(configure);

        // Straight to the engine, so a server with a token needs no credentials here.
        var handle = await server.Engine.SubmitAsync(WorkflowLoader.Parse(Tripping, "tripping.yaml"));
        await handle.WaitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return server;
    }

    [Fact]
    public async Task List_OpenBreaker_ShowsStateOpenedAtAndWaitingTasks()
    {
        await using var server = await StartWithOpenBreakerAsync();
        await server.SubmitAsync(Later);
        await WaitForAsync(() => server.Engine.ListBreakers().Single().Waiting == 1);

        var breaker = Assert.Single((await server.GetJsonAsync("/api/breakers")).EnumerateArray());

        Assert.Equal("flaky", breaker.GetProperty("key").GetString());
        Assert.Equal("open", breaker.GetProperty("state").GetString());
        Assert.Equal(1, breaker.GetProperty("waiting").GetInt32());
        var openedAt = breaker.GetProperty("openedAt").GetDateTimeOffset();
        Assert.Equal(openedAt + TimeSpan.FromSeconds(60), breaker.GetProperty("openUntil").GetDateTimeOffset());
    }

    [Fact]
    public async Task Reset_OpenBreaker_ClosesItAndTheWaitingRunFinishes()
    {
        await using var server = await StartWithOpenBreakerAsync();
        var runId = await server.SubmitAsync(Later);
        await WaitForAsync(() => server.Engine.ListBreakers().Single().Waiting == 1);

        var reset = await server.Client.PostAsync("/api/breakers/flaky/reset", null);
        var body = await reset.Content.ReadFromJsonAsync<JsonElement>();
        var run = await server.WaitAsync(runId);

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal("closed", body.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("openedAt").ValueKind);
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal("closed", (await server.GetJsonAsync("/api/breakers"))[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task Reset_UnknownKey_404Problem()
    {
        await using var server = await StartWithOpenBreakerAsync();

        var response = await server.Client.PostAsync("/api/breakers/nope/reset", null);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no circuit breaker 'nope'; known: flaky", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Reset_FollowsTheMutationRules_TokenReadOnlyAndCsrf()
    {
        await using var tokenServer = await StartWithOpenBreakerAsync(o => o.Token = "s3cret-token");
        await using var readOnly = await TestServer.StartAsync(o => o.ReadOnly = true);
        using var bare = new HttpClient { BaseAddress = new Uri(tokenServer.Address) };
        using var bareLocal = new HttpClient { BaseAddress = new Uri(readOnly.Address) };

        var noToken = await tokenServer.Client.PostAsync("/api/breakers/flaky/reset", null);
        using var withToken = new HttpRequestMessage(HttpMethod.Post, "/api/breakers/flaky/reset");
        withToken.Headers.Authorization = new("Bearer", "s3cret-token");
        var authorized = await bare.SendAsync(withToken);
        var refused = await readOnly.Client.PostAsync("/api/breakers/flaky/reset", null);
        var list = await bareLocal.GetAsync("/api/breakers");

        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Fact]
    public async Task Reset_WithoutCsrfHeader_403()
    {
        await using var server = await StartWithOpenBreakerAsync();
        using var bare = new HttpClient { BaseAddress = new Uri(server.Address) };

        var response = await bare.PostAsync("/api/breakers/flaky/reset", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("open", server.Engine.ListBreakers().Single().State);
    }

    [Fact]
    public async Task OpenApi_ListsTheBreakerEndpoints()
    {
        await using var server = await TestServer.StartAsync();

        var document = await server.Client.GetStringAsync("/api/openapi/weft.json");

        Assert.Contains("/api/breakers/{key}/reset", document, StringComparison.Ordinal);
        Assert.Contains("\"ListBreakers\"", document, StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(10);
        }
    }
}
