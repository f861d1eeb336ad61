using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Weft.Definitions;
using Weft.Execution;
using Weft.Hosting;
using Weft.Sqlite;
using Weft.Storage;

namespace Weft.Server.Tests;

/// <summary><c>AddWeft(weft =&gt; weft.UseSqlite(…).AddFunction&lt;T&gt;()…)</c>: the store is opened by the
/// host, functions are activated from the container per call, options are checked at start.</summary>
public sealed class HostingBuilderTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("weft-hosting-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Builder_SqliteStoreAndDiFunction_RunsWorkflowWithTypedInputAndOutput()
    {
        var path = Path.Combine(_dir, "weft.db");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddScoped<ScopedCounter>();
        builder.Services.AddSingleton<ScopeLog>();
        builder.Services.AddWeft(weft => weft
            .UseSqlite(path)
            .AddFunction<ResizeImage>()
            .AddHandler<EchoHandler>()
            .Configure(o => o.Pool.MaxWorkers = 4));
        await using var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        await app.StartAsync();
        var engine = app.Services.GetRequiredService<WeftEngine>();

        var definition = Workflow.Create("thumbs")
            .Task("small", t => t.Function("resize", new JsonObject { ["width"] = "640", ["height"] = 480, ["scale"] = 0.5 }))
            .Task("tiny", t => t.Function("resize", new JsonObject { ["width"] = 100, ["height"] = 50, ["scale"] = 0.1 }))
            .Task("echo", t => t.Kind(new CustomSpec("echo", new JsonObject { ["text"] = "hi" })))
            .Build();
        var run = await (await engine.SubmitAsync(definition)).WaitAsync().WaitAsync(Timeout);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.IsType<SqliteStore>(engine.Store);
        Assert.True(File.Exists(path));
        Assert.Equal("{\"width\":320,\"height\":240}", run.Tasks.Single(t => t.TaskId == "small").Output);
        Assert.Equal("{\"width\":10,\"height\":5}", run.Tasks.Single(t => t.TaskId == "tiny").Output);
        Assert.Equal("echo: hi", run.Tasks.Single(t => t.TaskId == "echo").Output);

        // A scope of its own per call, disposed after it.
        var scopes = app.Services.GetRequiredService<ScopeLog>();
        Assert.Equal(2, scopes.Created);
        Assert.Equal(2, scopes.Disposed);
        Assert.NotNull(await engine.Store.GetRunAsync(run.RunId));
        await app.StopAsync();
    }

    [Fact]
    public async Task Builder_FieldThatDoesNotFit_FailsTheTaskNamingTheField()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddScoped<ScopedCounter>();
        builder.Services.AddSingleton<ScopeLog>();
        builder.Services.AddWeft(weft => weft.AddFunction<ResizeImage>());
        await using var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        await app.StartAsync();
        var engine = app.Services.GetRequiredService<WeftEngine>();

        var wrongType = Workflow.Create("w").Task("resize", t => t.Function("resize", new JsonObject { ["width"] = "wide", ["height"] = 1 })).Build();
        var missing = Workflow.Create("m").Task("resize", t => t.Function("resize", new JsonObject { ["width"] = 1 })).Build();
        var badRun = await (await engine.SubmitAsync(wrongType)).WaitAsync().WaitAsync(Timeout);
        var missingRun = await (await engine.SubmitAsync(missing)).WaitAsync().WaitAsync(Timeout);

        Assert.Equal(RunState.Failed, badRun.State);
        Assert.StartsWith("function 'resize': argument 'width' does not fit ResizeInput", badRun.Tasks[0].Error, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", badRun.Tasks[0].Error, StringComparison.Ordinal);
        Assert.Equal(RunState.Failed, missingRun.State);
        Assert.Contains("'height'", missingRun.Tasks[0].Error, StringComparison.Ordinal);
        Assert.Equal(0, app.Services.GetRequiredService<ScopeLog>().Created);
        await app.StopAsync();
    }

    [Fact]
    public async Task Builder_BadOptionsInCodeAndConfiguration_StartFailsWithEveryError()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Weft:Token"] = "short",
            ["Weft:QueueLimit"] = "many",
        });
        builder.Services.AddWeft(weft => weft.Configure(o => o.OutputLimitBytes = 0));
        await using var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");

        var error = await Assert.ThrowsAsync<WeftConfigurationException>(() => app.StartAsync());

        Assert.Equal(3, error.Errors.Count);
        Assert.Contains(error.Errors, e => e.Contains("Weft:Token", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Contains("Weft:QueueLimit", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Contains("OutputLimitBytes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Builder_BadSqlitePath_StartFails()
    {
        var file = Path.Combine(_dir, "not-a-dir");
        await File.WriteAllTextAsync(file, "x");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddWeft(weft => weft.UseSqlite(Path.Combine(file, "weft.db")));
        await using var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");

        await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
    }

    [Fact]
    public void AddWeft_LeavesTheAppsOwnServicesAlone()
    {
        var services = new ServiceCollection();

        services.AddWeft(weft => weft.Configure(_ => { }));

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IProblemDetailsService));
    }

    [Fact]
    public void AddFunction_ClassWithoutTheInterface_IsRefusedAtRegistration()
    {
        var error = Assert.Throws<ArgumentException>(() => new WeftBuilder(new ServiceCollection()).AddFunction<ScopeLog>());

        Assert.Contains("IWeftFunction<TIn, TOut>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthCheck_StoreStopsAnswering_ReportsUnhealthyWithTheReason()
    {
        var path = Path.Combine(_dir, "weft.db");
        FaultyStore? faulty = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddWeft(weft => weft.UseStore(async (_, ct) =>
        {
            var inner = await SqliteStore.OpenAsync(new SqliteStoreOptions { Path = path }, ct);
            var proxy = DispatchProxy.Create<IWeftStore, FaultyStore>();
            faulty = (FaultyStore)(object)proxy;
            faulty.Inner = inner;
            return proxy;
        }));
        builder.Services.AddHealthChecks().AddWeft();
        await using var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        await app.StartAsync();
        var health = app.Services.GetRequiredService<HealthCheckService>();

        var before = await health.CheckHealthAsync();
        faulty!.Broken = true;
        var after = await health.CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, before.Status);
        Assert.Equal("reachable", before.Entries["weft"].Data["store"]);
        Assert.Equal(HealthStatus.Unhealthy, after.Status);
        Assert.Contains("store unreachable: database is gone", after.Entries["weft"].Description, StringComparison.Ordinal);
        faulty.Broken = false;
        await app.StopAsync();
    }

    internal sealed class ResizeInput
    {
        public required int Width { get; init; }

        public required int Height { get; init; }

        public double Scale { get; init; } = 1;
    }

    internal sealed record Size(int Width, int Height);

    [WeftFunction("resize")]
    internal sealed class ResizeImage(ScopedCounter counter) : IWeftFunction<ResizeInput, Size>
    {
        public ValueTask<Size> RunAsync(ResizeInput input, CancellationToken cancellationToken)
        {
            counter.Touch();
            return ValueTask.FromResult(new Size((int)(input.Width * input.Scale), (int)(input.Height * input.Scale)));
        }
    }

    internal sealed class ScopeLog
    {
        private int _created;
        private int _disposed;

        public int Created => Volatile.Read(ref _created);

        public int Disposed => Volatile.Read(ref _disposed);

        public void OnCreated() => Interlocked.Increment(ref _created);

        public void OnDisposed() => Interlocked.Increment(ref _disposed);
    }

    internal sealed class ScopedCounter : IDisposable
    {
        private readonly ScopeLog _log;

        public ScopedCounter(ScopeLog log)
        {
            _log = log;
            log.OnCreated();
        }

        public void Touch()
        {
        }

        public void Dispose() => _log.OnDisposed();
    }

    internal sealed class EchoHandler : ITaskHandler
    {
        public string Kind => "echo";

        public ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation) =>
            ValueTask.FromResult(TaskOutcome.Succeeded($"echo: {((CustomSpec)invocation.Spec).Value?["text"]}"));
    }

    /// <summary>A store that stops answering on demand: the fault a health check must notice.</summary>
    public class FaultyStore : DispatchProxy
    {
        public IWeftStore? Inner { get; set; }

        public bool Broken { get; set; }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (Broken && targetMethod!.Name == nameof(IWeftStore.GetRunAsync))
            {
                throw new WeftStoreException("database is gone");
            }

            return targetMethod!.Invoke(Inner, args);
        }
    }
}
