using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Weft.Server.Tests;

/// <summary>While the engine's memory is critical, submissions are answered 503 with Retry-After at
/// once instead of hanging with their bodies held in memory. The monitor's thresholds are set so any
/// process is critical, and its sample is taken by advancing a fake clock: nothing is allocated.</summary>
public sealed class MemoryPressureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("weft-memory-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<TestServer> CriticalServerAsync()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-02T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var server = await TestServer.StartAsync(
            o => o.ConfigureEngine = e =>
            {
                e.Monitor.SampleEvery = TimeSpan.FromSeconds(5);
                e.Monitor.WarningBytes = 1;
                e.Monitor.CriticalBytes = 1;
            },
            b => b.Services.AddSingleton<TimeProvider>(clock));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(server.Engine.IsMemoryCritical);
        return server;
    }

    [Fact]
    public async Task MemoryCritical_SubmitAndRegister_503WithRetryAfterAtOnce()
    {
        await using var server = await CriticalServerAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var submit = await server.Client.PostAsJsonAsync("/api/runs", new { definition = Workflows.Hello }, timeout.Token);
        var register = await server.Client.PostAsJsonAsync("/api/workflows", new { definition = Workflows.Hello }, timeout.Token);
        var cancelStillWorks = await server.Client.PostAsync("/api/runs/nope/cancel", null, timeout.Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, submit.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(10), submit.Headers.RetryAfter?.Delta);
        Assert.Contains("memory is critical", await submit.Content.ReadAsStringAsync(timeout.Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, register.StatusCode);
        Assert.NotNull(register.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.NotFound, cancelStillWorks.StatusCode);
        Assert.Empty(await server.Engine.Store.ListRunsAsync(new Storage.RunQuery()));
    }

    [Fact]
    public async Task MemoryCritical_RemoteRun_SaysSoAndExits1()
    {
        await using var server = await CriticalServerAsync();
        var file = Path.Combine(_dir, "hello.yaml");
        await File.WriteAllTextAsync(file, Workflows.Hello);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await Cli.WeftCli.InvokeAsync(["run", file, "--server", server.Address], Cli.CliIo.Redirected(output, error))
            .WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(1, code);
        Assert.Contains("memory is critical", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("retry after 10 s", error.ToString(), StringComparison.Ordinal);
    }
}
