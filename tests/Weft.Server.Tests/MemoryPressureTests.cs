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

    private static async Task<(TestServer Server, string Busy)> CriticalServerAsync()
    {
        // Intake pauses only while something is in flight (tasks finishing are what frees memory): a run
        // that sleeps an hour of the fake clock holds it.
        var (server, clock) = await ServerWithCriticalThresholdsAsync();
        var busy = await server.SubmitAsync("name: busy\ntasks:\n  nap:\n    sleep: 1h\n");
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(server.Engine.IsMemoryCritical);
        return (server, busy);
    }

    // The monitor's thresholds are such that any process is critical from its first sample on.
    private static async Task<(TestServer Server, FakeTimeProvider Clock)> ServerWithCriticalThresholdsAsync()
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
        return (server, clock);
    }

    [Fact]
    public async Task MemoryCritical_NothingInFlight_ASubmissionIsAccepted()
    {
        // Refusing could never end: only tasks finishing free memory, and an idle process's working
        // set need not fall by itself.
        var (server, clock) = await ServerWithCriticalThresholdsAsync();
        await using var _ = server;
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(server.Engine.IsMemoryCritical);

        var submit = await server.Client.PostAsJsonAsync("/api/runs", new { definition = Workflows.Hello });

        Assert.True(submit.IsSuccessStatusCode, await submit.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MemoryCritical_SubmitAndRegister_503WithRetryAfterAtOnce()
    {
        var (server, busy) = await CriticalServerAsync();
        await using var _ = server;
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
        Assert.Equal([busy], (await server.Engine.Store.ListRunsAsync(new Storage.RunQuery())).Select(r => r.RunId));
    }

    [Fact]
    public async Task MemoryCritical_RemoteRun_SaysSoAndExits1()
    {
        var (server, _) = await CriticalServerAsync();
        await using var __ = server;
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
