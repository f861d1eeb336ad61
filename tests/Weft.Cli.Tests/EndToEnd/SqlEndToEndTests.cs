using System.Text.Json;

namespace Weft.Tests.EndToEnd;

/// <summary><c>sql:</c> tasks through the CLI: named connections from weft.yaml and from
/// WEFT_CONNECTION_NAME, an unknown name refused before anything runs, and no password printed.</summary>
public sealed class SqlEndToEndTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("weft-sql-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task TheExampleWorkflow_RunsOnAConnectionOfTheConfiguration_AndOneFromTheEnvironment()
    {
        var example = Path.Combine(PluginEndToEndTests.BuiltPlugin.Repository(), "examples", "sql-report.yaml");
        File.WriteAllText(Path.Combine(_dir, "weft.yaml"), $"connections:\n  shop:\n    provider: sqlite\n    connectionString: \"sqlite:{Path.Combine(_dir, "shop.db")}\"\n    maxConnections: 2\n");

        var fromFile = await WeftProcess.RunAsync(_dir, "run", example, "--store", "memory", "--json", "-p", "day=2026-01-01");
        File.Delete(Path.Combine(_dir, "weft.yaml"));
        using var fromEnvironment = WeftProcess.StartWith(_dir, new Dictionary<string, string?> { ["WEFT_CONNECTION_SHOP"] = "sqlite:" + Path.Combine(_dir, "other.db") },
            "run", example, "--store", "memory", "--json", "-p", "day=2026-01-02");
        var environmentExit = await fromEnvironment.WaitForExitAsync();

        Assert.True(fromFile.ExitCode == 0, fromFile.Stderr + fromFile.Stdout);
        var tasks = JsonDocument.Parse(fromFile.Stdout).RootElement.GetProperty("tasks");
        Assert.Equal("""[{"region":"north","orders":2,"total":15},{"region":"south","orders":1,"total":7}]""", tasks.GetProperty("totals").GetProperty("output").GetString());
        Assert.Equal("best region on 2026-01-01: north (15)", tasks.GetProperty("report").GetProperty("output").GetString());
        Assert.True(environmentExit == 0, fromEnvironment.Stderr + fromEnvironment.Stdout);
        Assert.Contains("best region on 2026-01-02: south (100)", fromEnvironment.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, "other.db")));
    }

    [Fact]
    public async Task AnUnknownConnection_ExitsTwoBeforeAnythingRuns_AndNoPasswordIsPrinted()
    {
        File.WriteAllText(Path.Combine(_dir, "weft.yaml"), "connections:\n  warehouse:\n    connectionString: \"postgres://report:hunter2@db.example:5432/sales\"\n");
        File.WriteAllText(Path.Combine(_dir, "flow.yaml"), """
            name: typo
            tasks:
              marker: { shell: "touch ran" }
              q: { sql: { connection: warehous, query: "select 1" } }
            """);

        var run = await WeftProcess.RunAsync(_dir, "run", "flow.yaml", "--store", "memory");
        var show = await WeftProcess.RunAsync(_dir, "config", "show");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: task 'q': unknown connection 'warehous': it is not under 'connections:' in the configuration and WEFT_CONNECTION_WAREHOUS is not set (configured: warehouse)\n", run.Stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "ran")));
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("postgres://report:***@db.example:5432/sales", show.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", show.Stdout + show.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_ListsThePoolsOfTheConfiguredConnections()
    {
        File.WriteAllText(Path.Combine(_dir, "weft.yaml"), $"connections:\n  shop:\n    connectionString: \"sqlite:{Path.Combine(_dir, "shop.db")}\"\n    maxConnections: 3\n");

        var json = await WeftProcess.RunAsync(_dir, "status", "--store", "memory", "--json");
        var text = await WeftProcess.RunAsync(_dir, "status", "--store", "memory");

        Assert.True(json.ExitCode == 0, json.ToString());
        var pool = Assert.Single(JsonDocument.Parse(json.Stdout).RootElement.GetProperty("connectionPools").EnumerateArray());
        Assert.Equal("""{"name":"shop","provider":"sqlite","maxConnections":3,"inUse":0,"waiting":0,"leases":0,"opened":null}""", pool.GetRawText().Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));
        Assert.Contains("sql:        shop (sqlite): 0/3 in use, 0 waiting, 0 leases\n", text.Stdout, StringComparison.Ordinal);
    }
}
