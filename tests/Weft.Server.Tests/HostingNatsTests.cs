using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Weft.Cluster;
using Weft.Definitions;
using Weft.Hosting;
using Weft.Nats;
using Weft.Nats.Tests;

namespace Weft.Server.Tests;

/// <summary><c>AddWeft(weft =&gt; weft.UseSqlite(…).UseNats(url))</c>: the host's engine schedules and
/// records, a worker reached over a real nats-server runs the tasks.</summary>
public sealed class HostingNatsTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("weft-hosting-nats-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task UseNats_TheHostSchedules_AWorkerOverNatsRunsTheTasks()
    {
        await using var nats = await NatsServer.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddWeft(weft => weft.UseSqlite(Path.Combine(_dir, "weft.db")).UseNats(nats.Url));
        await using var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        await app.StartAsync();
        var worker = await NatsWorker.StartAsync(nats.Url, new ClusterWorkerOptions { Name = "hosted-nats-worker", Slots = 2 });
        await using (worker)
        {
            var engine = app.Services.GetRequiredService<WeftEngine>();
            var definition = Workflow.Create("over-nats")
                .Task("first", t => t.Shell("echo one"))
                .Task("second", t => t.Shell("echo two").DependsOn("first"))
                .Build();

            var run = await (await engine.SubmitAsync(definition)).WaitAsync().WaitAsync(Timeout);

            Assert.Equal(RunState.Succeeded, run.State);
            Assert.Equal("two", run.Tasks.Single(t => t.TaskId == "second").Output?.Trim());
            Assert.Equal(2, worker.Completed);
            Assert.Equal(0, engine.GetStatus().Pool.Slots);
            await worker.StopAsync(TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task UseNats_WithAPrefix_TheHostAndAWorkerUnderItRunTheTasksBesideAnUnprefixedWorker()
    {
        await using var nats = await NatsServer.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddWeft(weft => weft.UseSqlite(Path.Combine(_dir, "weft.db")).UseNats(nats.Url, t => t.Prefix = "hosted"));
        await using var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        await app.StartAsync();
        await using var unprefixed = await NatsWorker.StartAsync(nats.Url, new ClusterWorkerOptions { Name = "unprefixed-worker", Slots = 2 });
        await using var worker = await new NatsTransport(nats.Url) { Prefix = "hosted" }.StartWorkerAsync(new ClusterWorkerOptions { Name = "hosted-worker", Slots = 2 });
        var engine = app.Services.GetRequiredService<WeftEngine>();
        var definition = Workflow.Create("under-a-prefix").Task("only", t => t.Shell("echo one")).Build();

        var run = await (await engine.SubmitAsync(definition)).WaitAsync().WaitAsync(Timeout);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal("hosted-worker", run.Tasks.Single().AttemptHistory.Single().Worker);
        Assert.Equal(0, unprefixed.Completed);
    }

    [Fact]
    public void UseNats_WithAPrefixThatCannotBeANatsName_IsAnArgumentErrorNamingIt()
    {
        var builder = new WeftBuilder(new ServiceCollection());

        var error = Assert.Throws<ArgumentException>(() => builder.UseNats("nats://127.0.0.1:4222", t => t.Prefix = "stag.ing"));

        Assert.Contains("'stag.ing' is not a NATS name prefix", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseNats_WithoutADurableStore_StopsTheStartSayingWhy()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddWeft(weft => weft.UseNats("nats://127.0.0.1:1"));
        await using var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");

        var error = await Assert.ThrowsAsync<WeftConfigurationException>(() => app.StartAsync());

        Assert.Contains(error.Errors, e => e.Contains("needs a durable store", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:4222")]
    [InlineData("nats-server")]
    [InlineData("nats://user:hunter2@")]
    public void UseNats_NotANatsUrl_IsAnArgumentErrorWithoutTheCredentials(string url)
    {
        var builder = new WeftBuilder(new ServiceCollection());

        var error = Assert.Throws<ArgumentException>(() => builder.UseNats(url));

        Assert.Contains("is not a NATS server URL", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}
