using System.Net;
using Weft.Definitions;
using Weft.Execution;
using Weft.Handlers;
using Weft.Tests.Definitions;

namespace Weft.Tests.Handlers;

/// <summary>The short form <c>http: "[METHOD] URL [BODY]"</c>, loaded from a workflow and sent to a
/// real server: what the server receives is what the user wrote.</summary>
public sealed class HttpShortFormTests : IDisposable
{
    private static readonly TimeSpan HardTimeout = TimeSpan.FromSeconds(10);
    private readonly HttpHandler _handler = new();
    private readonly TestHttpServer _server = new((context, _) =>
    {
        context.Response.StatusCode = 200;
        return Task.CompletedTask;
    });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task ShortForm_PostWithJsonBody_SendsTheBodyAsJsonNotInTheUrl()
    {
        var outcome = await Send("""'POST {{ params.base }}/users {"name":"john"}'""");

        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/users", request.Path);
        Assert.Equal("""{"name":"john"}""", request.Body);
        Assert.Equal("application/json; charset=utf-8", request.ContentType);
    }

    [Fact]
    public async Task ShortForm_JsonBodyWithTemplate_EscapesTheValueInsideItsString()
    {
        var outcome = await Send("""'PUT {{ params.base }}/u {"name": "{{ params.name }}", "tags": [1, 2]}'""", ("params.name", "jo\"hn"));

        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("""{"name":"jo\"hn","tags":[1,2]}""", request.Body);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShortForm_TextBody_IsSentAsPlainText()
    {
        var outcome = await Send("\"POST {{ params.base }}/notes hello there, world\"");

        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
        var request = Assert.Single(_server.Requests);
        Assert.Equal(("/notes", "hello there, world"), (request.Path, request.Body));
        Assert.Equal("text/plain; charset=utf-8", request.ContentType);
    }

    [Fact]
    public async Task ShortForm_UrlStartingWithTemplate_IsAGetOfThatUrl()
    {
        var outcome = await Send("\"{{ params.base }}/health\"");

        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
        var request = Assert.Single(_server.Requests);
        Assert.Equal(("GET", "/health", string.Empty), (request.Method, request.Path, request.Body));
    }

    [Fact]
    public async Task ShortForm_MethodThenTemplateUrl_KeepsBoth()
    {
        var outcome = await Send("\"delete   {{ params.base }}/items/{{ params.name }}\"", ("params.name", "a b"));

        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
        var raw = Assert.Single(_server.Raw);
        Assert.Equal("DELETE", Assert.Single(_server.Requests).Method);
        Assert.Equal("/items/a%20b", raw.RawUrl);
    }

    [Fact]
    public async Task BodyField_JsonText_IsSentAsJson()
    {
        var definition = WorkflowLoader.Parse(Loading.Text("""
            name: wf
            params: { base: "" }
            tasks:
              t:
                http:
                  method: POST
                  url: "{{ params.base }}/x"
                  body: '[1, 2, 3]'
            """), "flow.yaml");

        var outcome = await Run((HttpSpec)definition.Tasks[0].Spec);

        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
        Assert.StartsWith("application/json", Assert.Single(_server.Requests).ContentType, StringComparison.Ordinal);
    }

    private async Task<TaskOutcome> Send(string http, params (string Key, string Value)[] values)
    {
        var definition = WorkflowLoader.Parse(Loading.Text($$"""
            name: wf
            params: { base: "", name: x }
            tasks:
              t:
                http: {{http}}
            """), "flow.yaml");
        return await Run((HttpSpec)definition.Tasks[0].Spec, values);
    }

    private Task<TaskOutcome> Run(HttpSpec spec, params (string Key, string Value)[] values)
    {
        var all = values.ToDictionary(v => v.Key, v => v.Value);
        all["params.base"] = _server.Url.TrimEnd('/');
        return _handler.ExecuteAsync(Invocations.For(spec, all)).WithHardTimeout(HardTimeout);
    }
}
