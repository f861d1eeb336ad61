using System.Text.Json;
using Weft.Cluster;
using Weft.Postgres;
using Weft.Testing;

namespace Weft.Tests.Cluster;

/// <summary><c>weft workers</c> on PostgreSQL says a worker is lost exactly when the scheduler does: its
/// own dead-after passed since its last heartbeat, not a fixed 30 s.</summary>
public sealed class WorkersCommandTests : IAsyncLifetime
{
    private readonly string _schema = TestPostgres.NewSchema();
    private string _store = string.Empty;

    public async Task InitializeAsync() => _store = await TestPostgres.ConnectionStringAsync(_schema);

    public async Task DisposeAsync() => await TestPostgres.DropSchemaAsync(_schema);

    [Fact]
    public async Task Workers_LeaseRanOut_ShowsLostAtOnce_AndTheOthersAliveOrStopped()
    {
        await using (var store = await PostgresStore.OpenAsync(new PostgresStoreOptions { ConnectionString = _store }))
        {
            foreach (var name in new[] { "dead", "alive", "stopped" })
            {
                await store.RegisterWorkerAsync(new WorkerInfo { Name = name, Slots = 3, StartedAt = DateTimeOffset.UtcNow });
            }

            // A heartbeat whose lease is already over: the scheduler reads this worker's tasks as lost now
            // (as with --dead-after 2 two seconds after a SIGKILL), seconds before 30 s have passed.
            await store.HeartbeatAsync("dead", TimeSpan.Zero);
            await store.HeartbeatAsync("alive", TimeSpan.FromMinutes(10));
            await store.UnregisterWorkerAsync("stopped");
        }

        var json = await Output("--json");
        var text = await Output();

        using var doc = JsonDocument.Parse(json);
        var states = doc.RootElement.EnumerateArray().ToDictionary(w => w.GetProperty("name").GetString()!, w => w.GetProperty("state").GetString());
        Assert.Equal("lost", states["dead"]);
        Assert.Equal("alive", states["alive"]);
        Assert.Equal("stopped", states["stopped"]);
        var alive = doc.RootElement.EnumerateArray().Single(w => w.GetProperty("name").GetString() == "alive");
        Assert.True(alive.GetProperty("leaseUntil").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Contains("lost", text, StringComparison.Ordinal);
    }

    private async Task<string> Output(params string[] extra)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var root = Weft.Cli.WeftCli.Build(Weft.Cli.CliIo.Redirected(output, error));
        var exit = await root.Parse(["workers", "--store", _store, .. extra]).InvokeAsync();
        Assert.True(exit == 0, error.ToString());
        return output.ToString();
    }
}
