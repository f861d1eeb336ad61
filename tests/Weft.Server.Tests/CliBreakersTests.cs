using System.Text.Json;
using Weft.Cli;

namespace Weft.Server.Tests;

/// <summary><c>weft breakers list|reset</c> against a real server.</summary>
public sealed class CliBreakersTests
{
    private static async Task<(int Code, string Out, string Error)> WeftAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await WeftCli.InvokeAsync(args, CliIo.Redirected(output, error));
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task ListAndReset_OpenBreaker_ClosesIt()
    {
        await using var server = await BreakerApiTests.StartWithOpenBreakerAsync();

        var text = await WeftAsync("breakers", "list", "--server", server.Address);
        var reset = await WeftAsync("breakers", "reset", "flaky", "--server", server.Address);
        var json = await WeftAsync("breakers", "list", "--server", server.Address, "--json");

        Assert.True(text.Code == 0, text.Error);
        Assert.Matches(@"flaky\s+open\s+0\s+0\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ \(until ", text.Out);
        Assert.Equal((0, "circuit breaker 'flaky' reset: closed\n"), (reset.Code, reset.Out.ReplaceLineEndings("\n")));
        var breaker = Assert.Single(JsonDocument.Parse(json.Out).RootElement.EnumerateArray());
        Assert.Equal("closed", breaker.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, breaker.GetProperty("openedAt").ValueKind);
        Assert.Equal("closed", server.Engine.ListBreakers().Single().State);
    }

    [Fact]
    public async Task Reset_UnknownKey_Exits2WithTheServersMessage()
    {
        await using var server = await BreakerApiTests.StartWithOpenBreakerAsync();

        var (code, _, error) = await WeftAsync("breakers", "reset", "nope", "--server", server.Address);

        Assert.Equal(2, code);
        Assert.Contains("no circuit breaker 'nope'; known: flaky", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_WithoutServer_Exits2SayingBreakersLiveInARunningEngine()
    {
        var (code, output, error) = await WeftAsync("breakers", "reset", "flaky");

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("circuit breakers live in a running engine", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_LocalMemoryStore_SaysThereAreNoneAndWhereToLook()
    {
        var text = await WeftAsync("breakers", "list", "--store", "memory");
        var json = await WeftAsync("breakers", "list", "--store", "memory", "--json");

        Assert.Equal(0, text.Code);
        Assert.Contains("--server URL", text.Out, StringComparison.Ordinal);
        Assert.Equal("[]", json.Out.Trim());
    }

    [Fact]
    public async Task List_UnreachableServer_Exits1()
    {
        var (code, _, error) = await WeftAsync("breakers", "list", "--server", "http://127.0.0.1:1");

        Assert.Equal(1, code);
        Assert.Contains("cannot reach the Weft server", error, StringComparison.Ordinal);
    }
}
