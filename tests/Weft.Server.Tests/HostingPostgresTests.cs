using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Weft.Definitions;
using Weft.Execution;
using Weft.Hosting;
using Weft.Postgres;
using Weft.Testing;

namespace Weft.Server.Tests;

/// <summary><c>AddWeft(weft =&gt; weft.UsePostgres(cs))</c>: the host is a cluster member as
/// <c>weft server --store postgres://…</c> is (a worker of its own, standby while another member leads,
/// the cluster's scheduler once it leads), on the shared test PostgreSQL, a schema per test.</summary>
public sealed class HostingPostgresTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _schema = TestPostgres.NewSchema();
    private readonly List<WebApplication> _apps = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        await TestPostgres.DropSchemaAsync(_schema);
    }

    [Fact]
    public async Task UsePostgres_HostLeadsAndItsWorkerRunsAWorkflowWithItsFunction_ApiServesIt()
    {
        var (app, _) = await BuildAsync();
        await app.StartAsync().WaitAsync(Timeout);
        var engine = app.Services.GetRequiredService<WeftEngine>();

        var run = await (await engine.SubmitAsync(Flow("hosted"))).WaitAsync().WaitAsync(Timeout);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.True(engine.IsClusterScheduler);
        Assert.IsType<PostgresStore>(engine.Store);
        Assert.Equal("hello, hosted", run.Tasks.Single(t => t.TaskId == "greet").Output);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        var listed = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{run.RunId}");
        Assert.Equal("succeeded", listed.GetProperty("state").GetString());
    }

    [Fact]
    public async Task UsePostgres_TwoHostsOnOneDatabase_OneLeadsTheOtherWaitsAsStandbyAndTakesOverWhenTheLeaderStops()
    {
        var (first, firstLog) = await BuildAsync();
        await first.StartAsync().WaitAsync(Timeout);
        var (second, secondLog) = await BuildAsync();
        var secondStart = second.StartAsync();

        await Until(() => secondLog.Any(m => m.Contains("standby: another scheduler leads", StringComparison.Ordinal)), "the second host waits as a standby");
        Assert.False(secondStart.IsCompleted);
        Assert.Contains(firstLog, m => m.Contains("leading: this process schedules the cluster", StringComparison.Ordinal));
        var led = await (await first.Services.GetRequiredService<WeftEngine>().SubmitAsync(Flow("first"))).WaitAsync().WaitAsync(Timeout);
        Assert.Equal(RunState.Succeeded, led.State);

        await first.StopAsync().WaitAsync(Timeout);
        await secondStart.WaitAsync(Timeout);

        Assert.Contains(secondLog, m => m.Contains("leading: this process schedules the cluster", StringComparison.Ordinal));
        var engine = second.Services.GetRequiredService<WeftEngine>();
        var run = await (await engine.SubmitAsync(Flow("second"))).WaitAsync().WaitAsync(Timeout);
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(2, (await engine.Store.ListRunsAsync(new Storage.RunQuery { State = RunState.Succeeded })).Count);
    }

    [Fact]
    public async Task UsePostgresWithUseNats_TheLeadersTasksRunOnTheHostsOwnWorkerOverNats_AndTheStoresQueueStaysEmpty()
    {
        await using var nats = await Weft.Nats.Tests.NatsServer.StartAsync();
        var (app, log) = await BuildAsync(nats.Url);
        await app.StartAsync().WaitAsync(Timeout);
        var engine = app.Services.GetRequiredService<WeftEngine>();

        var run = await (await engine.SubmitAsync(Flow("over nats"))).WaitAsync().WaitAsync(Timeout);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.True(engine.IsClusterScheduler);
        Assert.Equal("hello, over nats", run.Tasks.Single(t => t.TaskId == "greet").Output); // the builder's function, on the NATS worker
        Assert.Contains(log, m => m.Contains("slots on NATS", StringComparison.Ordinal));
        var worker = Assert.Single((await engine.ListWorkersAsync())!);
        Assert.Equal(worker.Name, run.Tasks.Single(t => t.TaskId == "greet").AttemptHistory.Single().Worker);
        Assert.False(worker.Lost);
        await using var db = await TestPostgres.OpenRawAsync();
        await using var queued = new Npgsql.NpgsqlCommand($"SELECT count(*) FROM \"{_schema}\".queue", db);
        Assert.Equal(0L, (long)(await queued.ExecuteScalarAsync())!);
    }

    private static WorkflowDefinition Flow(string who) => Workflow.Create("greeting")
        .Task("greet", t => t.Function("greet", new System.Text.Json.Nodes.JsonObject { ["who"] = who }))
        .Task("done", t => t.Noop().DependsOn("greet"))
        .Build();

    private async Task<(WebApplication App, ConcurrentQueue<string> Log)> BuildAsync(string? nats = null)
    {
        var connection = await TestPostgres.ConnectionStringAsync(_schema);
        var log = new ConcurrentQueue<string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new LineLogger(log));
        builder.Services.AddWeft(weft =>
        {
            weft.UsePostgres(connection)
                .Register<Greeting, string>("greet", (input, _) => ValueTask.FromResult($"hello, {input.Who}"))
                .ConfigureServer(o => o.Workers = 2);
            if (nats is not null)
            {
                weft.UseNats(nats);
            }
        });
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        app.MapWeftApi();
        _apps.Add(app);
        return (app, log);
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        using var limit = new CancellationTokenSource(Timeout);
        while (!condition())
        {
            Assert.False(limit.IsCancellationRequested, $"timed out waiting until {what}");
            await Task.Delay(20);
        }
    }

    private sealed record Greeting(string Who);

    private sealed class LineLogger(ConcurrentQueue<string> lines) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));

        public void Dispose()
        {
        }
    }
}
