namespace Weft.Server.Tests;

/// <summary>The <c>weft.worker.crashes</c> counter as Prometheus sees it.</summary>
public sealed class WorkerCrashMetricTests
{
    [Fact]
    public async Task Metrics_ListWorkerCrashes_FromZero()
    {
        await using var server = await TestServer.StartAsync();

        var text = await server.Client.GetStringAsync("/metrics");

        Assert.Matches(@"(?m)^weft_worker_crashes 0$", text);
        Assert.DoesNotContain("weft_weft_", text, StringComparison.Ordinal);
    }
}
