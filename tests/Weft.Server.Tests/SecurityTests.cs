using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Weft.Server.Tests;

public sealed class SecurityTests
{
    [Theory]
    [InlineData("http://0.0.0.0:5080")]
    [InlineData("http://*:5080")]
    [InlineData("http://192.0.2.10:5080")]
    public void Build_NonLoopbackWithoutToken_Refuses(string url)
    {
        var error = Assert.Throws<WeftConfigurationException>(() => WeftServerApp.Build(new WeftServerOptions(), [url]));

        Assert.Contains("without an API token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_NonLoopbackWithTokenOrInsecure_Allowed()
    {
        await using var a = WeftServerApp.Build(new WeftServerOptions { Token = "0123456789" }, ["http://0.0.0.0:0"]);
        await using var b = WeftServerApp.Build(new WeftServerOptions { Insecure = true }, ["http://0.0.0.0:0"]);
    }

    [Fact]
    public async Task Mutation_WithTokenConfigured_401WithoutAnd403Wrong_ReadsStayOpen()
    {
        await using var server = await TestServer.StartAsync(o => o.Token = "s3cret-token");

        var none = await server.Client.PostAsJsonAsync("/api/runs", new { definition = Workflows.Hello });
        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/runs") { Content = JsonContent.Create(new { definition = Workflows.Hello }) };
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "guess-guess");
        var wrongResponse = await server.Client.SendAsync(wrong);
        using var right = new HttpRequestMessage(HttpMethod.Post, "/api/runs") { Content = JsonContent.Create(new { definition = Workflows.Hello }) };
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-token");
        var rightResponse = await server.Client.SendAsync(right);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Created, rightResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/api/runs")).StatusCode);
    }

    [Fact]
    public async Task Mutation_ReadOnly_403()
    {
        await using var server = await TestServer.StartAsync(o => o.ReadOnly = true);

        var response = await server.Client.PostAsJsonAsync("/api/runs", new { definition = Workflows.Hello });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("read-only", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mutation_CrossSiteOrWithoutCsrfHeader_403()
    {
        await using var server = await TestServer.StartAsync();
        using var plain = new HttpClient { BaseAddress = new Uri(server.Address) };

        var noHeader = await plain.PostAsJsonAsync("/api/runs", new { definition = Workflows.Hello });
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "/api/runs") { Content = JsonContent.Create(new { definition = Workflows.Hello }) };
        crossSite.Headers.Add("Origin", "http://evil.example");
        var crossResponse = await server.Client.SendAsync(crossSite);

        Assert.Equal(HttpStatusCode.Forbidden, noHeader.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, crossResponse.StatusCode);
    }
}
