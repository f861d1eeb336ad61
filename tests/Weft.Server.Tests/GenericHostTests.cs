using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Weft.Definitions;
using Weft.Hosting;

namespace Weft.Server.Tests;

/// <summary>AddWeft in a worker service (the Generic Host, no web server): the host opens the store,
/// starts the engine and stops it.</summary>
public sealed class GenericHostTests
{
    [Fact]
    public async Task GenericHost_BuilderWithSqliteAndFunction_RunsAndStops()
    {
        var dir = Directory.CreateTempSubdirectory("weft-generic-host-").FullName;
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddWeft(weft => weft
                .UseSqlite(Path.Combine(dir, "weft.db"))
                .Register<JsonObject, string>("shout", (input, _) => ValueTask.FromResult(input["text"]!.GetValue<string>().ToUpperInvariant())));
            using var host = builder.Build();
            await host.StartAsync();
            var engine = host.Services.GetRequiredService<WeftEngine>();

            var definition = Workflow.Create("w").Task("t", t => t.Function("shout", new JsonObject { ["text"] = "hi" })).Build();
            var run = await (await engine.SubmitAsync(definition)).WaitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await host.StopAsync();

            Assert.Equal(RunState.Succeeded, run.State);
            Assert.Equal("HI", run.Tasks[0].Output);
            Assert.True(File.Exists(Path.Combine(dir, "weft.db")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
