using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Weft.Server.Tests;

/// <summary>Issue #11 item 10b: reading a workflow version needs no token, so the text it shows must not
/// carry a secret parameter's default.</summary>
public sealed class WorkflowSourceTests
{
    private const string Token = "a-long-enough-token";
    private const string Secret = "hunter2-very-secret";

    [Fact]
    public async Task GetWorkflowVersion_WithoutToken_SecretDefaultMasked()
    {
        await using var server = await TestServer.StartAsync(o => o.Token = Token);
        var source = "name: wf\nparams:\n  region: eu-west\n  token: { secret: true, default: SECRET }\ntasks:\n  a:\n    noop: {}\n"
            .Replace("SECRET", Secret, StringComparison.Ordinal);
        using (var register = new HttpRequestMessage(HttpMethod.Post, "/api/workflows") { Content = JsonContent.Create(new { definition = source }) })
        {
            register.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            Assert.True((await server.Client.SendAsync(register)).IsSuccessStatusCode);
        }

        var shown = await server.GetJsonAsync("/api/workflows/wf/versions/1");
        var text = shown.GetProperty("source").GetString()!;

        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.Contains("default: \"***\"", text, StringComparison.Ordinal);
        Assert.Contains("region: eu-west", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, await server.Client.GetStringAsync("/api/workflows/wf"), StringComparison.Ordinal);
    }
}
