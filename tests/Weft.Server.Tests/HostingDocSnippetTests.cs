using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Weft.Definitions;
using Weft.Execution;
using Weft.Hosting;

namespace Weft.Server.Tests;

/// <summary>The snippet of docs/HOSTING.md compiles and runs as written: the region between the doc
/// markers below is the document's code block, line for line.</summary>
public sealed class HostingDocSnippetTests
{
    [Fact]
    public async Task HostingDoc_Snippet_CompilesServesAndRunsAFunction()
    {
        // The snippet's relative path is the process's current directory, as in an app.
        var db = Path.GetFullPath("weft.db");
        try
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();

            // doc:hosting-start
            builder.Services.AddWeft(weft => weft
                .UseSqlite("weft.db")
                .AddFunction<ResizeImage>()
                .AddHandler<MyKindHandler>()
                .Configure(o => o.Pool.MaxWorkers = 8));
            builder.Services.AddHealthChecks().AddWeft();

            var app = builder.Build();
            app.MapWeftApi();
            app.MapWeftDashboard();
            app.MapWeftMetrics();
            app.MapHealthChecks("/health");
            // doc:hosting-end

            await using var _ = app;
            app.Urls.Add("http://127.0.0.1:0");
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            var engine = app.Services.GetRequiredService<WeftEngine>();
            var definition = Workflow.Create("doc")
                .Task("thumb", t => t.Function("ResizeImage", new JsonObject { ["width"] = 800, ["height"] = 600 }))
                .Task("mine", t => t.Kind(new CustomSpec("my-kind", null)).DependsOn("thumb"))
                .Build();

            var run = await (await engine.SubmitAsync(definition)).WaitAsync().WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(RunState.Succeeded, run.State);
            Assert.Equal("{\"width\":400,\"height\":300}", run.Tasks[0].Output);
            Assert.Equal("Healthy", await client.GetStringAsync("/health"));
            Assert.True(File.Exists(db));
            await app.StopAsync();
        }
        finally
        {
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(db)!, "weft.db*"))
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public void HostingDoc_CodeBlock_IsTheTestedSnippet()
    {
        var root = RepositoryRoot();
        var test = File.ReadAllLines(Path.Combine(root, "tests", "Weft.Server.Tests", "HostingDocSnippetTests.cs"));
        var start = Array.FindIndex(test, l => l.Trim() == "// doc:hosting-start");
        var end = Array.FindIndex(test, l => l.Trim() == "// doc:hosting-end");
        var snippet = string.Join('\n', test[(start + 1)..end].Select(l => l.Length >= 12 ? l[12..] : l.Trim()));

        var doc = File.ReadAllText(Path.Combine(root, "docs", "HOSTING.md")).ReplaceLineEndings("\n");

        Assert.Contains(snippet, doc, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Weft.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Weft.slnx not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>The doc's typed function: input from <c>with:</c>, output as JSON.</summary>
public sealed record ResizeInput(int Width, int Height);

/// <summary>The doc's function output.</summary>
public sealed record Thumbnail(int Width, int Height);

/// <summary>The doc's function, activated from the container per call.</summary>
public sealed class ResizeImage : IWeftFunction<ResizeInput, Thumbnail>
{
    /// <inheritdoc />
    public ValueTask<Thumbnail> RunAsync(ResizeInput input, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new Thumbnail(input.Width / 2, input.Height / 2));
}

/// <summary>The doc's handler of a kind of its own.</summary>
public sealed class MyKindHandler : ITaskHandler
{
    /// <inheritdoc />
    public string Kind => "my-kind";

    /// <inheritdoc />
    public ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation) => ValueTask.FromResult(TaskOutcome.Success);
}
