namespace Weft.Server.Tests;

public sealed class StreamAndMetricsTests
{
    [Fact]
    public async Task Events_SseStreamDeliversTaskEventsAndEndsWithRunFinished()
    {
        await using var server = await TestServer.StartAsync();
        var runId = await server.SubmitAsync(Workflows.Hello);

        using var response = await server.Client.GetAsync($"/api/runs/{runId}/events", HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStringAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("event: task_succeeded\ndata: {", body, StringComparison.Ordinal);
        Assert.EndsWith("\n\n", body, StringComparison.Ordinal);
        var last = body.TrimEnd().Split("\n\n")[^1];
        Assert.StartsWith("event: run_finished", last, StringComparison.Ordinal);
        Assert.Contains("\"runState\":\"succeeded\"", last, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_PrometheusTextWithWeftSeries()
    {
        await using var server = await TestServer.StartAsync();
        await server.WaitAsync(await server.SubmitAsync(Workflows.Hello));

        var text = await server.Client.GetStringAsync("/metrics");

        foreach (var series in new[] { "weft_tasks_succeeded_total", "weft_runs_finished_total", "weft_queue_depth", "weft_slots_busy", "weft_slots_idle", "weft_active_runs", "weft_throughput_per_second", "weft_working_set_bytes" })
        {
            Assert.Contains("\n" + series, text, StringComparison.Ordinal);
        }

        Assert.Contains("weft_queue_depth{priority=\"critical\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("weft_runs_finished_total 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_CountersAreTypedCounter_GaugesGauge_WithTheirDescriptionsAsHelp()
    {
        await using var server = await TestServer.StartAsync();
        await server.WaitAsync(await server.SubmitAsync(Workflows.Hello));

        var text = await server.Client.GetStringAsync("/metrics");

        Assert.Contains("# TYPE weft_tasks_succeeded_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE weft_runs_finished_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE weft_worker_crashes counter\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE weft_queue_depth gauge\n", text, StringComparison.Ordinal);
        Assert.Contains("# HELP weft_tasks_succeeded_total Task attempts that succeeded since the engine started.\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ObservableCounter", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_WithoutTrailingSlash_RedirectsToIt_SoItsScriptsLoad()
    {
        await using var server = await TestServer.StartAsync();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Client.BaseAddress };
        foreach (var (header, value) in server.Client.DefaultRequestHeaders)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation(header, value);
        }

        using var response = await client.GetAsync("/dashboard?x=1");

        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dashboard/?x=1", response.Headers.Location?.OriginalString);
        var page = await server.Client.GetStringAsync("/dashboard/");
        Assert.Contains("<script", page, StringComparison.Ordinal);
    }
}
