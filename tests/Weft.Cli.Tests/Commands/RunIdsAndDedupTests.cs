using System.Text.Json;
using Weft.Cli;
using Weft.Definitions;
using Weft.Sqlite;
using Weft.Storage;
using Weft.Tests.EndToEnd;

namespace Weft.Tests.Commands;

/// <summary>Shortened run ids on a local store, and <c>weft run --priority --dedup-key</c>, in process.</summary>
public sealed class RunIdsAndDedupTests : IDisposable
{
    private readonly WorkflowFiles _files = new();

    private string Store => "sqlite:" + Path.Combine(_files.Directory, "runs.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _files.Dispose();
    }

    private static async Task<(int Exit, string Out, string Err)> InvokeAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await WeftCli.InvokeAsync(args, CliIo.Redirected(output, error));
        return (exit, output.ToString(), error.ToString());
    }

    private async Task SeedAsync(params string[] ids)
    {
        var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(_files.Directory, "runs.db") });
        await using (store)
        {
            var definition = WorkflowLoader.Parse(WorkflowFiles.Hello, "hello.yaml");
            var at = DateTimeOffset.UtcNow;
            foreach (var id in ids)
            {
                at = at.AddSeconds(1);
                await store.CreateRunAsync(new RunRecord(id, definition, new Dictionary<string, string> { ["who"] = "world" }, at));
                await store.WriteAsync([new StoreChange { Kind = StoreChangeKind.Run, RunId = id, RunState = RunState.Failed, StartedAt = at, FinishedAt = at }]);
            }
        }
    }

    [Fact]
    public async Task ShowOutputRetry_AcceptAUniquePrefixOfSixOrMore()
    {
        await SeedAsync("0192f3c4aa01", "0192f3c4bb02");

        var show = await InvokeAsync("runs", "show", "0192f3c4a", "--store", Store, "--json");
        var output = await InvokeAsync("runs", "output", "0192f3c4bb", "greet", "--store", Store);

        Assert.True(show.Exit == 0, show.Err);
        Assert.Equal("0192f3c4aa01", JsonDocument.Parse(show.Out).RootElement.GetProperty("runId").GetString());
        Assert.Equal(0, output.Exit);
        Assert.Contains("has not run", output.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("show")]
    [InlineData("cancel")]
    [InlineData("resume")]
    [InlineData("retry")]
    public async Task AmbiguousPrefix_ListsTheCandidates_Exit2(string verb)
    {
        await SeedAsync("0192f3c4aa01", "0192f3c4bb02", "77aa");

        var (exit, output, err) = await InvokeAsync("runs", verb, "0192f3", "--store", Store);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("run id '0192f3' is ambiguous: 2 runs in sqlite:", err, StringComparison.Ordinal);
        Assert.Contains("  0192f3c4bb02  hello  failed", err, StringComparison.Ordinal);
        Assert.Contains("  0192f3c4aa01  hello  failed", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrefixShorterThanSix_IsRefusedSayingSo_ButAShortWholeIdWorks()
    {
        await SeedAsync("0192f3c4aa01", "77aa");

        var shortPrefix = await InvokeAsync("runs", "show", "0192f", "--store", Store);
        var wholeShortId = await InvokeAsync("runs", "show", "77aa", "--store", Store, "--json");
        var resume = await InvokeAsync("run", "--resume", "0192", "--store", Store);

        Assert.Equal(2, shortPrefix.Exit);
        Assert.Contains("no run with id '0192f'", shortPrefix.Err, StringComparison.Ordinal);
        Assert.Contains("at least 6 characters (it has 5)", shortPrefix.Err, StringComparison.Ordinal);
        Assert.True(wholeShortId.Exit == 0, wholeShortId.Err);
        Assert.Equal(2, resume.Exit);
        Assert.Contains("at least 6 characters", resume.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_DedupKey_SecondRunReportsTheFirst_PriorityIsRecorded()
    {
        var flow = Path.Combine(_files.Directory, _files.Write("hello.yaml", WorkflowFiles.Hello));

        var first = await InvokeAsync("run", flow, "--store", Store, "--dedup-key", "nightly-2026-01-31", "--priority", "critical", "--json");
        var second = await InvokeAsync("run", flow, "--store", Store, "--dedup-key", "nightly-2026-01-31", "--json");
        var other = await InvokeAsync("run", flow, "--store", Store, "--dedup-key", "nightly-2026-02-01", "--json");
        var badPriority = await InvokeAsync("run", flow, "--store", Store, "--priority", "urgent");

        Assert.True(first.Exit == 0, first.Err);
        var runId = JsonDocument.Parse(first.Out).RootElement.GetProperty("runId").GetString();
        Assert.Equal(0, second.Exit);
        Assert.Equal(runId, JsonDocument.Parse(second.Out).RootElement.GetProperty("runId").GetString());
        Assert.Contains($"run {runId} was already started with dedup key 'nightly-2026-01-31' (succeeded); nothing new was started", second.Err, StringComparison.Ordinal);
        Assert.NotEqual(runId, JsonDocument.Parse(other.Out).RootElement.GetProperty("runId").GetString());
        Assert.Equal(2, badPriority.Exit);
        Assert.Contains("'urgent'", badPriority.Err, StringComparison.Ordinal);

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(_files.Directory, "runs.db") });
        await using (store)
        {
            Assert.Equal(TaskPriority.Critical, (await store.LoadRunAsync(runId!))!.Record.Priority);
            Assert.Equal(2, (await store.ListRunsAsync(new RunQuery())).Count);
        }
    }
}
