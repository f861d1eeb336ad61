using System.Text.Json;
using System.Text.Json.Nodes;

namespace Weft.Tests.EndToEnd;

/// <summary><c>weft runs retry ID --task T</c> as a user runs it: real processes over one temporary SQLite file.</summary>
[Trait("Category", "EndToEnd")]
public sealed class RetryTasksEndToEndTests : IDisposable
{
    private const string Db = "runs.db";

    // `second` fails until the file `fixed` exists; `side` fails on its own, beside the chain.
    private const string Flaky = """
        name: flaky
        tasks:
          first:
            shell: echo first >> log.txt; echo one
          second:
            shell: echo second >> log.txt; test -f fixed
            dependsOn: [first]
          third:
            shell: echo third >> log.txt
            dependsOn: [second]
          side:
            shell: echo side >> log.txt; exit 3
        """;

    private readonly WorkflowFiles _files = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _files.Dispose();
    }

    [Fact]
    public async Task RetryTask_RerunsItAndItsDependents_KeepsTheOtherFailure()
    {
        var id = RunIdOf(await Weft("run", _files.Write("flaky.yaml", Flaky), "--json"), 1);
        File.WriteAllText(Path.Combine(_files.Directory, "fixed"), "");

        var retry = await Weft("runs", "retry", id, "--task", "second", "--json");

        // `side` was not named: it keeps its failure, so the new run fails (exit 1) all the same.
        Assert.True(retry.ExitCode == 1, retry.ToString());
        var doc = JsonNode.Parse(retry.Stdout)!;
        Assert.NotEqual(id, doc["runId"]!.GetValue<string>());
        Assert.Equal("cached", doc["tasks"]!["first"]!["state"]!.GetValue<string>());
        Assert.Equal("succeeded", doc["tasks"]!["second"]!["state"]!.GetValue<string>());
        Assert.Equal("succeeded", doc["tasks"]!["third"]!["state"]!.GetValue<string>());
        Assert.Equal("failed", doc["tasks"]!["side"]!["state"]!.GetValue<string>());
        var log = File.ReadAllLines(Path.Combine(_files.Directory, "log.txt"));
        Assert.Equal(1, log.Count(l => l == "first"));
        Assert.Equal(2, log.Count(l => l == "second"));
        Assert.Equal(1, log.Count(l => l == "third"));
        Assert.Equal(1, log.Count(l => l == "side"));

        var both = await Weft("runs", "retry", id, "--task", "second", "--task", "side");
        Assert.True(both.ExitCode == 1, both.ToString()); // `side` fails again, as written
        log = File.ReadAllLines(Path.Combine(_files.Directory, "log.txt"));
        Assert.Equal([1, 3, 2, 2], new[] { "first", "second", "third", "side" }.Select(t => log.Count(l => l == t)));
    }

    [Fact]
    public async Task RetryTask_NotFailedOrUnknown_Exits2NamingItAndStartsNothing()
    {
        var id = RunIdOf(await Weft("run", _files.Write("flaky.yaml", Flaky), "--json"), 1);

        var succeeded = await Weft("runs", "retry", id, "--task", "first");
        var unknown = await Weft("runs", "retry", id, "--task", "ghost");
        var list = await Weft("runs", "list", "--json");

        Assert.True(succeeded.ExitCode == 2, succeeded.ToString());
        Assert.Contains($"error: task 'first' of run '{id}' is succeeded; only a failed", succeeded.Stderr, StringComparison.Ordinal);
        Assert.True(unknown.ExitCode == 2, unknown.ToString());
        Assert.Contains($"error: run '{id}' has no task 'ghost' (its tasks: first, second, third, side)", unknown.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", succeeded.Stderr + unknown.Stderr, StringComparison.Ordinal);
        Assert.Single(JsonNode.Parse(list.Stdout)!.AsArray());
    }

    private Task<WeftResult> Weft(params string[] args) =>
        WeftProcess.RunAsync(_files.Directory, [.. args, "--store", "sqlite:" + Db]);

    private static string RunIdOf(WeftResult result, int expectedExit)
    {
        Assert.True(result.ExitCode == expectedExit, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        return doc.RootElement.GetProperty("runId").GetString()!;
    }
}
