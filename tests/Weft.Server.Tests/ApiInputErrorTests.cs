using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Weft.Cli;

namespace Weft.Server.Tests;

/// <summary>Bad input gets a 400 that names the field and the value, in the API's words: no .NET type
/// names, no framework exception text.</summary>
public sealed class ApiInputErrorTests
{
    [Theory]
    [InlineData("/api/runs?limit=abc", "limit", "'abc'")]
    [InlineData("/api/runs?offset=1.5", "offset", "'1.5'")]
    [InlineData("/api/runs/RUN/tasks/greet/output?attempt=abc", "attempt", "'abc'")]
    public async Task NotANumber_400NamingFieldAndValue(string path, string field, string value)
    {
        await using var server = await TestServer.StartAsync();
        var runId = await server.SubmitAsync(Workflows.Hello);

        var response = await server.Client.GetAsync(path.Replace("RUN", runId, StringComparison.Ordinal));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.Contains(value, errors.GetProperty(field)[0].GetString(), StringComparison.Ordinal);
        AssertNoDotNetNames(body);
    }

    [Theory]
    [InlineData("{\"definition\": \"x\", \"notBefore\": \"next tuesday\"}", "notBefore", "ISO-8601")]
    [InlineData("{\"workflow\": \"x\", \"version\": \"two\"}", "version", "whole number")]
    [InlineData("{\"definition\": \"x\", \"params\": {\"a\": 1}}", "params", "text values")]
    [InlineData("{\"definition\": 42}", "definition", "text")]
    [InlineData("{\"definition\": ", "body", "not valid JSON")]
    public async Task SubmitBodyOfWrongShape_400NamingFieldWithoutTypeNames(string json, string field, string expected)
    {
        await using var server = await TestServer.StartAsync();

        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        var response = await server.Client.PostAsync("/api/runs", content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.Contains(expected, errors.GetProperty(field)[0].GetString(), StringComparison.Ordinal);
        AssertNoDotNetNames(body);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080/../")]
    [InlineData("http://127.0.0.1:5080/weft")]
    [InlineData("ftp://127.0.0.1:5080")]
    [InlineData("127.0.0.1")]
    public async Task ServerCommand_BadUrls_Exit2NamingFlagAndValue(string url)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await WeftCli.InvokeAsync(["server", "--store", "memory", "--urls", url], CliIo.Redirected(output, error));

        Assert.Equal(2, code);
        Assert.Contains($"--urls: '{url}'", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
    }

    private static void AssertNoDotNetNames(string body)
    {
        foreach (var name in new[] { "System.", "Nullable", "Int32", "DateTimeOffset", "Exception", "Failed to bind" })
        {
            Assert.DoesNotContain(name, body, StringComparison.Ordinal);
        }
    }
}
