using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Weft.Definitions;

namespace Weft.Server.Tests;

/// <summary>The engine logs through the host's <see cref="ILogger"/>: every attempt in a scope with its run
/// and task ids (so a function's own log lines carry them), and nothing per task at Information.</summary>
public sealed class HostingLoggingTests
{
    [Fact]
    public async Task HostedEngine_FunctionLogs_CarryRunAndTaskIdScopes_NothingPerTaskAtInformation()
    {
        var provider = new CapturingProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(provider);
        builder.Services.AddWeft(weft => weft.AddFunction<Greet>());
        await using var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        await app.StartAsync();
        var engine = app.Services.GetRequiredService<WeftEngine>();

        var definition = Workflow.Create("greetings")
            .Task("a", t => t.Function("Greet", new JsonObject { ["who"] = "ada" }))
            .Task("b", t => t.Function("Greet", new JsonObject { ["who"] = "bob" }).DependsOn("a"))
            .Task("c", t => t.Noop().DependsOn("b"))
            .Build();
        var run = await (await engine.SubmitAsync(definition)).WaitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await app.StopAsync();

        Assert.Equal(RunState.Succeeded, run.State);
        var greeting = Assert.Single(provider.Entries, e => e.Message == "hello bob");
        Assert.Equal(run.RunId, greeting.Scope["WeftRunId"]);
        Assert.Equal("b", greeting.Scope["WeftTaskId"]);
        Assert.Equal(1, greeting.Scope["WeftAttempt"]);
        Assert.Equal("greetings", greeting.Scope["WeftWorkflow"]);
        var weft = provider.Entries.Where(e => e.Category == "Weft").ToList();
        Assert.Equal(3, weft.Count(e => e.Level == LogLevel.Debug && e.Message.Contains($"of run {run.RunId}", StringComparison.Ordinal)));
        Assert.DoesNotContain(weft, e => e.Level >= LogLevel.Information);
    }

    internal sealed class Greet(ILogger<Greet> log) : IWeftFunction<JsonObject, string>
    {
        public async ValueTask<string> RunAsync(JsonObject input, CancellationToken cancellationToken)
        {
            await Task.Yield(); // the scope must survive a hop to another thread
            var who = input["who"]!.GetValue<string>();
#pragma warning disable CA1848, CA2254 // a user's plain logging call is what is tested
            log.LogInformation($"hello {who}");
#pragma warning restore CA1848, CA2254
            return who;
        }
    }

    internal sealed record Entry(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Scope);

    private sealed class CapturingProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scope = new Dictionary<string, object?>();
                owner._scopes.ForEachScope(
                    (s, into) =>
                    {
                        if (s is IEnumerable<KeyValuePair<string, object?>> pairs)
                        {
                            foreach (var (key, value) in pairs)
                            {
                                into[key] = value;
                            }
                        }
                    },
                    scope);
                owner.Entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), scope));
            }
        }
    }
}
