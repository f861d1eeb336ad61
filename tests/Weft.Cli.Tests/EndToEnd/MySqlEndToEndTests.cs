using System.Text.Json;
using Weft.Testing;

namespace Weft.Tests.EndToEnd;

/// <summary>The mysql provider through the CLI: the example workflow on MariaDB from a mysql:// URL in
/// WEFT_CONNECTION_NAME, status and config show of a configured MySQL connection (no password), and a bad
/// connection value refused with exit 2 naming where it came from.</summary>
public sealed class MySqlEndToEndTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("weft-mysql-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task TheExampleWorkflow_RunsOnMariaDb_FromAMysqlUrlInTheEnvironment()
    {
        var example = Path.Combine(PluginEndToEndTests.BuiltPlugin.Repository(), "examples", "sql-report.yaml");
        var database = await TestMySql.NewDatabaseAsync();
        using var run = WeftProcess.StartWith(_dir, new Dictionary<string, string?> { ["WEFT_CONNECTION_SHOP"] = TestMySql.Url(database) },
            "run", example, "--store", "memory", "--json", "-p", "day=2026-01-01");
        var exit = await run.WaitForExitAsync();
        await TestMySql.DropDatabaseAsync(database);

        Assert.True(exit == 0, run.Stderr + run.Stdout);
        var tasks = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("tasks");
        Assert.Equal("""[{"region":"north","orders":2,"total":15},{"region":"south","orders":1,"total":7}]""", tasks.GetProperty("totals").GetProperty("output").GetString());
        Assert.Equal("best region on 2026-01-01: north (15)", tasks.GetProperty("report").GetProperty("output").GetString());
    }

    [Fact]
    public async Task AConfiguredMysqlConnection_IsInStatus_AndConfigShowHidesItsPassword()
    {
        File.WriteAllText(Path.Combine(_dir, "weft.yaml"), "connections:\n  shop:\n    connectionString: \"mysql://report:hunter2@db.example:3306/sales\"\n    maxConnections: 4\n"
            + "  billing:\n    provider: mysql\n    connectionString: \"Server=db.example;User ID=app;Password=hunter3;Database=billing\"\n");

        var json = await WeftProcess.RunAsync(_dir, "status", "--store", "memory", "--json");
        var text = await WeftProcess.RunAsync(_dir, "status", "--store", "memory");
        var show = await WeftProcess.RunAsync(_dir, "config", "show");

        Assert.True(json.ExitCode == 0, json.ToString());
        var pools = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("connectionPools").EnumerateArray().Select(p => p.GetRawText().Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [
                """{"name":"billing","provider":"mysql","maxConnections":10,"inUse":0,"waiting":0,"leases":0,"opened":0}""",
                """{"name":"shop","provider":"mysql","maxConnections":4,"inUse":0,"waiting":0,"leases":0,"opened":0}""",
            ],
            pools);
        Assert.Contains("shop (mysql): 0/4 in use, 0 waiting, 0 leases", text.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("mysql://report:***@db.example:3306/sales", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("Password=***", show.Stdout, StringComparison.Ordinal);
        var everything = json.Stdout + json.Stderr + text.Stdout + text.Stderr + show.Stdout + show.Stderr;
        Assert.DoesNotContain("hunter2", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter3", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMalformedMysqlUrl_ExitsTwoBeforeAnythingRuns_NamingTheVariable()
    {
        File.WriteAllText(Path.Combine(_dir, "flow.yaml"), """
            name: bad
            tasks:
              marker: { shell: "touch ran" }
              q: { sql: { connection: shop, query: "select 1" } }
            """);

        using var run = WeftProcess.StartWith(_dir, new Dictionary<string, string?> { ["WEFT_CONNECTION_SHOP"] = "mysql://report:hunter2@db.example/sales?Bogus=1" },
            "run", "flow.yaml", "--store", "memory");
        var exit = await run.WaitForExitAsync();

        Assert.Equal(2, exit);
        Assert.Equal("error: task 'q': connection 'shop' (WEFT_CONNECTION_SHOP) is not usable: unknown connection parameter 'Bogus'\n", run.Stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "ran")));
    }

    [Fact]
    public async Task AnUnknownProvider_ExitsTwo_NamingTheFieldAndTheProviders()
    {
        File.WriteAllText(Path.Combine(_dir, "weft.yaml"), "connections:\n  shop:\n    provider: oracle\n    connectionString: \"Server=db;Password=hunter2\"\n");
        File.WriteAllText(Path.Combine(_dir, "flow.yaml"), "name: bad\ntasks:\n  q: { sql: { connection: shop, query: \"select 1\" } }\n");

        var run = await WeftProcess.RunAsync(_dir, "run", "flow.yaml", "--store", "memory");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("weft.yaml:3:15: connections.shop.provider: 'oracle' is not allowed; expected one of postgres, sqlite, mysql", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }
}
