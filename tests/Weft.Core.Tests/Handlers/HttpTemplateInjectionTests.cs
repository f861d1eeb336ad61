using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Weft.Definitions;
using Weft.Execution;
using Weft.Handlers;

namespace Weft.Tests.Handlers;

/// <summary>A hostile parameter or upstream output must not change the shape of an http task's
/// request: no extra headers or requests, no other path, no extra query keys or JSON fields. Each
/// test asserts what a real server on 127.0.0.1 received.</summary>
public sealed class HttpTemplateInjectionTests : IDisposable
{
    private static readonly TimeSpan HardTimeout = TimeSpan.FromSeconds(10);
    private readonly HttpHandler _handler = new();
    private readonly TestHttpServer _server = new((context, _) => Reply(context));

    public void Dispose() => _server.Dispose();

    [Theory]
    [InlineData("a\r\nX-Admin: true")]
    [InlineData("a\r\n\r\nGET /admin HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("a\nX-Admin: true")]
    public async Task HeaderValueWithLineBreak_FailsTheTaskAndSendsNothing(string value)
    {
        var spec = new HttpSpec("GET", _server.Url + "hello") { Headers = new Dictionary<string, string> { ["X-Custom"] = "{{ params.v }}" } };

        var outcome = await Run(spec, new() { ["params.v"] = value });

        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.Contains("'X-Custom' holds a line break", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(_server.Raw);
    }

    [Fact]
    public async Task ValueInPath_IsOneEncodedSegment()
    {
        var outcome = await Run(new HttpSpec("GET", _server.Url + "files/{{ params.name }}"), new() { ["params.name"] = "../../admin?role=root#" });

        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
        Assert.Equal("/files/..%2F..%2Fadmin%3Frole%3Droot%23", Assert.Single(_server.Raw).RawUrl);
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    public async Task ValueThatIsADotSegment_FailsTheTaskAndSendsNothing(string value)
    {
        var outcome = await Run(new HttpSpec("GET", _server.Url + "files/{{ params.name }}/x"), new() { ["params.name"] = value });

        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.Contains("path segment", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(_server.Raw);
    }

    [Fact]
    public async Task ValueInQuery_IsOneEncodedValue()
    {
        var outcome = await Run(new HttpSpec("GET", _server.Url + "search?q={{ params.q }}&page=1"), new() { ["params.q"] = "a b&admin=1#x" });

        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
        Assert.Equal("/search?q=a%20b%26admin%3D1%23x&page=1", Assert.Single(_server.Raw).RawUrl);
    }

    [Fact]
    public async Task ValueThatStartsTheUrl_IsTheBase()
    {
        var outcome = await Run(new HttpSpec("GET", "{{ params.base }}/hello.txt"), new() { ["params.base"] = _server.Url.TrimEnd('/') });

        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
        Assert.Equal("/hello.txt", Assert.Single(_server.Raw).RawUrl);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("127.0.0.1")]
    [InlineData("gopher://127.0.0.1")]
    public async Task ValueThatStartsTheUrl_MustBeAnAbsoluteHttpUrl(string value)
    {
        var outcome = await Run(new HttpSpec("GET", "{{ params.base }}/hello.txt"), new() { ["params.base"] = value });

        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.Contains("must be an absolute http:// or https:// URL", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(_server.Raw);
    }

    [Fact]
    public async Task ValueInHost_MayHoldOnlyHostCharacters()
    {
        var url = $"http://{{{{ params.host }}}}:{_server.Port}/x";

        var good = await Run(new HttpSpec("GET", url), new() { ["params.host"] = "127.0.0.1" });
        var bad = await Run(new HttpSpec("GET", url), new() { ["params.host"] = "127.0.0.1:1/admin?" });

        Assert.Equal(TaskOutcomeStatus.Succeeded, good.Status);
        Assert.Equal(TaskOutcomeStatus.Failed, bad.Status);
        Assert.Contains("host", bad.Error, StringComparison.Ordinal);
        Assert.Equal("/x", Assert.Single(_server.Raw).RawUrl);
    }

    [Fact]
    public async Task RawFilter_PutsTheValueInAsWritten()
    {
        var outcome = await Run(new HttpSpec("GET", _server.Url + "{{ params.path | raw }}"), new() { ["params.path"] = "a/b?c=d&e=f" });

        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
        Assert.Equal("/a/b?c=d&e=f", Assert.Single(_server.Raw).RawUrl);
    }

    [Fact]
    public async Task JsonBody_ValueCannotAddFields()
    {
        var hostile = "B\", \"admin\": true, \"z\": \"";
        var spec = new HttpSpec("POST", _server.Url + "items")
        {
            Json = JsonNode.Parse("""{"name": "{{ params.name }}", "tags": ["x-{{ params.name }}"], "count": 5}"""),
        };

        var outcome = await Run(spec, new() { ["params.name"] = hostile });

        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("application/json; charset=utf-8", request.ContentType);
        var body = JsonNode.Parse(request.Body)!.AsObject();
        Assert.Equal(["name", "tags", "count"], body.Select(p => p.Key));
        Assert.Equal(hostile, body["name"]!.GetValue<string>());
        Assert.Equal("x-" + hostile, body["tags"]![0]!.GetValue<string>());
        Assert.Equal(5, body["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task EscapedBraces_AreSentAsLiteralBraces()
    {
        var spec = new HttpSpec("POST", _server.Url) { Body = "{{ '{{' }} params.x }} = {{ params.x }}" };

        var outcome = await Run(spec, new() { ["params.x"] = "1" });

        Assert.Equal(TaskOutcomeStatus.Succeeded, outcome.Status);
        Assert.Equal("{{ params.x }} = 1", Assert.Single(_server.Requests).Body);
    }

    private static async Task Reply(HttpListenerContext context)
    {
        var bytes = Encoding.UTF8.GetBytes("ok");
        context.Response.StatusCode = 200;
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
    }

    private Task<TaskOutcome> Run(HttpSpec spec, Dictionary<string, string> values) =>
        _handler.ExecuteAsync(Invocations.For(spec, values)).WithHardTimeout(HardTimeout);
}
