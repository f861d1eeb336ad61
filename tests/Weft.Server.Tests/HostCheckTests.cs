using System.Net;
using System.Net.Http.Json;

namespace Weft.Server.Tests;

/// <summary>DNS rebinding: a web page whose own name was re-pointed at 127.0.0.1 reaches a token-less
/// server with its own name in Host (and a matching Origin). Only loopback names and the configured
/// ones are served.</summary>
public sealed class HostCheckTests
{
    private static HttpRequestMessage Request(HttpMethod method, string path, string host, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Host = host;
        request.Headers.Add("Origin", $"http://{host}");
        return request;
    }

    [Fact]
    public async Task TokenlessServer_ReboundHostName_421OnEveryPathAndNothingRuns()
    {
        await using var server = await TestServer.StartAsync();
        var host = $"evil.example:{new Uri(server.Address).Port}";

        using var submit = Request(HttpMethod.Post, "/api/runs", host, new { definition = Workflows.Hello });
        var submitted = await server.Client.SendAsync(submit);
        var others = new List<HttpStatusCode>();
        foreach (var path in new[] { "/api/runs", "/api/status", "/dashboard/", "/metrics", "/api/runs/any/events", "/" })
        {
            using var get = Request(HttpMethod.Get, path, host);
            others.Add((await server.Client.SendAsync(get)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.MisdirectedRequest, submitted.StatusCode);
        Assert.Contains("--allowed-hosts", await submitted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.All(others, status => Assert.Equal(HttpStatusCode.MisdirectedRequest, status));
        Assert.Empty(await server.Engine.Store.ListRunsAsync(new Storage.RunQuery { Limit = 10 }));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public async Task TokenlessServer_LoopbackHostNames_Served(string name)
    {
        await using var server = await TestServer.StartAsync();

        using var submit = Request(HttpMethod.Post, "/api/runs", $"{name}:{new Uri(server.Address).Port}", new { definition = Workflows.Hello });
        submit.Headers.Add("X-Weft-Request", "1");
        var response = await server.Client.SendAsync(submit);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("weft.internal", true)]
    [InlineData("a.example.com", true)]
    [InlineData("example.com.evil.example", false)]
    [InlineData("weft.internal.evil.example", false)]
    public async Task AllowedHosts_ConfiguredNamesAndSubdomains_ServedOthersNot(string name, bool served)
    {
        await using var server = await TestServer.StartAsync(o => o.AllowedHosts = ["weft.internal", "*.example.com"]);

        using var get = Request(HttpMethod.Get, "/api/runs", name);
        var response = await server.Client.SendAsync(get);

        Assert.Equal(served ? HttpStatusCode.OK : HttpStatusCode.MisdirectedRequest, response.StatusCode);
    }

    [Fact]
    public async Task ServerWithToken_AnyHostName_Served()
    {
        await using var server = await TestServer.StartAsync(o => o.Token = "0123456789abcdef");

        using var get = Request(HttpMethod.Get, "/api/runs", "weft.example.com");
        var response = await server.Client.SendAsync(get);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void AllowedHosts_NotAHostName_RefusedAtStart()
    {
        var error = Assert.Throws<WeftConfigurationException>(() =>
            WeftServerApp.Build(new WeftServerOptions { AllowedHosts = ["http://weft.internal:5080/"] }, ["http://127.0.0.1:0"]));

        Assert.Contains("'http://weft.internal:5080/' is not a host name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_AllowedHostsFlag_ReachesTheServer()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        // A bad name is reported by the server's own check, which shows the flag reached it.
        var code = await Cli.WeftCli.InvokeAsync(["server", "--store", "memory", "--urls", "http://127.0.0.1:0", "--allowed-hosts", "ok.example, bad/name"],
            Cli.CliIo.Redirected(output, error));

        Assert.Equal(2, code);
        Assert.Contains("'bad/name' is not a host name", error.ToString(), StringComparison.Ordinal);
    }
}
