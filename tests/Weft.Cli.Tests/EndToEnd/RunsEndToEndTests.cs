using System.Text.Json;
using System.Text.Json.Nodes;
using Weft.Sqlite;

namespace Weft.Tests.EndToEnd;

/// <summary><c>weft runs …</c> as a user runs it: real processes over one temporary SQLite file.</summary>
[Trait("Category", "EndToEnd")]
public sealed class RunsEndToEndTests : IDisposable
{
    private const string Db = "runs.db";

    private const string Flaky = """
        name: flaky
        params:
          log: log.txt
        tasks:
          first:
            shell: echo first >> "{{ params.log }}"; echo one
          second:
            shell: echo second >> "{{ params.log }}"; test -f fixed
            dependsOn: [first]
          third:
            shell: echo third >> "{{ params.log }}"
            dependsOn: [second]
        """;

    private const string Big = """
        name: big
        tasks:
          numbers:
            shell: seq 1 4000
        """;

    private const string Slow = """
        name: slow
        tasks:
          nap:
            shell: sleep 600
          after:
            noop: {}
            dependsOn: [nap]
        """;

    private readonly WorkflowFiles _files = new();

    private static readonly string[] ListKeys = ["runId", "workflow", "state", "startedAt", "finishedAt", "triggeredBy"];

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _files.Dispose();
    }

    [Fact]
    public async Task List_Json_IsOneArrayNewestFirstAndFilters()
    {
        var hello = _files.Write("hello.yaml", WorkflowFiles.Hello);
        var failing = _files.Write("failing.yaml", WorkflowFiles.Failing);
        var first = RunIdOf(await Weft("run", hello, "--json"), 0);
        var second = RunIdOf(await Weft("run", failing, "--json"), 1);
        var third = RunIdOf(await Weft("run", hello, "--json"), 0);

        var all = await ListAsync();
        Assert.Equal([third, second, first], all.Select(r => r["runId"]!.GetValue<string>()));
        foreach (var run in all)
        {
            Assert.Equal(ListKeys, run.AsObject().Select(p => p.Key));
            Assert.True(DateTimeOffset.TryParse(run["startedAt"]!.GetValue<string>(), out _));
            Assert.True(DateTimeOffset.TryParse(run["finishedAt"]!.GetValue<string>(), out _));
            Assert.Equal($"cli {Environment.UserName}@{Environment.MachineName}", run["triggeredBy"]!.GetValue<string>());
        }

        Assert.Equal(["succeeded", "failed", "succeeded"], all.Select(r => r["state"]!.GetValue<string>()));
        Assert.Equal([second], (await ListAsync("--state", "failed")).Select(r => r["runId"]!.GetValue<string>()));
        Assert.Equal([third, first], (await ListAsync("--workflow", "hello")).Select(r => r["runId"]!.GetValue<string>()));
        Assert.Equal([third], (await ListAsync("--limit", "1")).Select(r => r["runId"]!.GetValue<string>()));
        Assert.Equal(3, (await ListAsync("--since", "1h")).Count);
        Assert.Empty(await ListAsync("--since", "2999-01-01T00:00:00Z"));

        var table = await Weft("runs", "list");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains(third, table.Stdout, StringComparison.Ordinal);
        Assert.Contains("failed", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_Json_EqualsTheDocumentOfTheRun()
    {
        var failing = _files.Write("failing.yaml", WorkflowFiles.Failing);
        var run = await Weft("run", failing, "--json");
        var id = RunIdOf(run, 1);

        var show = await Weft("runs", "show", id, "--json");

        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(run.Stdout), JsonNode.Parse(show.Stdout)), $"run:\n{run.Stdout}\nshow:\n{show.Stdout}");
        Assert.Equal($"cli {Environment.UserName}@{Environment.MachineName}", JsonNode.Parse(show.Stdout)!["triggeredBy"]!.GetValue<string>());

        var plain = await Weft("runs", "show", id);
        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Contains("upstream_failed", plain.Stdout, StringComparison.Ordinal);
        Assert.Contains("exit code 3", plain.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_LargeOutput_RoundTripsExactly()
    {
        var big = _files.Write("big.yaml", Big);
        var id = RunIdOf(await Weft("run", big, "--json"), 0);

        var output = await WeftProcess.RunRawAsync(_files.Directory, "runs", "output", id, "numbers", "--store", "sqlite:" + Db);

        Assert.True(output.ExitCode == 0, output.ToString());
        var expected = string.Concat(Enumerable.Range(1, 4000).Select(i => i + "\n"));
        Assert.True(expected.Length > 16_000);
        Assert.Equal(expected.TrimEnd('\n'), output.Stdout.TrimEnd('\n'));
        await using var store = await OpenStoreAsync();
        Assert.Equal(await store.GetOutputAsync(id, "numbers"), output.Stdout);

        var first = await WeftProcess.RunRawAsync(_files.Directory, "runs", "output", id, "numbers", "--attempt", "1", "--store", "sqlite:" + Db);
        Assert.Equal(output.Stdout, first.Stdout);
    }

    [Fact]
    public async Task Retry_FailedRun_ReusesSucceededTasksAndRerunsTheFailedOne()
    {
        var flaky = _files.Write("flaky.yaml", Flaky);
        var id = RunIdOf(await Weft("run", flaky, "--json"), 1);
        File.WriteAllText(Path.Combine(_files.Directory, "fixed"), "");

        var retry = await Weft("runs", "retry", id, "--json");

        Assert.True(retry.ExitCode == 0, retry.ToString());
        var doc = JsonNode.Parse(retry.Stdout)!;
        Assert.NotEqual(id, doc["runId"]!.GetValue<string>());
        Assert.Equal("succeeded", doc["state"]!.GetValue<string>());
        Assert.Equal("cached", doc["tasks"]!["first"]!["state"]!.GetValue<string>());
        Assert.Equal("one", doc["tasks"]!["first"]!["output"]!.GetValue<string>().Trim());
        Assert.Equal("succeeded", doc["tasks"]!["second"]!["state"]!.GetValue<string>());
        Assert.Equal("succeeded", doc["tasks"]!["third"]!["state"]!.GetValue<string>());
        Assert.Equal(["first", "second", "second", "third"], File.ReadAllLines(Path.Combine(_files.Directory, "log.txt")));
        Assert.Equal(doc["runId"]!.GetValue<string>(), (await ListAsync())[0]["runId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Purge_DeletesFinishedRunsOlderThanTheAge()
    {
        var hello = _files.Write("hello.yaml", WorkflowFiles.Hello);
        RunIdOf(await Weft("run", hello, "--json"), 0);

        var none = await Weft("runs", "purge", "--older-than", "1d");
        Assert.True(none.ExitCode == 0, none.ToString());
        Assert.StartsWith("purged 0 run(s)", none.Stdout, StringComparison.Ordinal);
        Assert.Single(await ListAsync());

        var all = await Weft("runs", "purge", "--older-than", "0s");
        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.StartsWith("purged 1 run(s)", all.Stdout, StringComparison.Ordinal);
        Assert.Empty(await ListAsync());
    }

    [Fact]
    public async Task BadInput_Exits2WithAClearMessageAndNoStackTrace()
    {
        var failing = _files.Write("failing.yaml", WorkflowFiles.Failing);
        var id = RunIdOf(await Weft("run", failing, "--json"), 1);

        (string[] Args, string Message)[] cases =
        [
            (["runs", "show", "nope"], $"error: no run with id 'nope' in sqlite:{Db}"),
            (["runs", "output", "nope", "ok"], "no run with id 'nope'"),
            (["runs", "output", id, "ghost"], "has no task 'ghost'"),
            (["runs", "output", id, "ok", "--attempt", "2"], "there is no attempt 2"),
            (["runs", "output", id, "ok", "--attempt", "0"], "--attempt must be at least 1"),
            (["runs", "list", "--state", "bogus"], "pending, running, paused, succeeded, failed, cancelled, timed_out"),
            (["runs", "list", "--since", "yesterday"], "--since 'yesterday'"),
            (["runs", "list", "--limit", "0"], "--limit"),
            (["runs", "purge", "--older-than", "soon"], "--older-than 'soon'"),
            (["runs", "purge"], "--older-than"),
            (["runs", "cancel", id], $"run {id} already finished (failed)"),
            (["runs", "cancel", "nope"], "no run with id 'nope'"),
            (["runs", "retry", "nope"], "no run with id 'nope'"),
            (["runs", "resume", "nope"], "no run with id 'nope'"),
            (["runs", "show"], "error:"),
        ];
        var results = await Task.WhenAll(cases.Select(c => Weft(c.Args)));

        for (var i = 0; i < cases.Length; i++)
        {
            var (args, message) = cases[i];
            var result = results[i];
            Assert.True(result.ExitCode == 2, $"weft {string.Join(' ', args)}: {result}");
            Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
            Assert.Equal("", result.Stdout);
        }

        var memory = await WeftProcess.RunAsync(_files.Directory, "runs", "list", "--store", "memory");
        Assert.True(memory.ExitCode == 2, memory.ToString());
        Assert.Contains("memory store keeps no runs", memory.Stderr, StringComparison.Ordinal);

        var missing = await WeftProcess.RunAsync(_files.Directory, "runs", "show", "x", "--store", "sqlite:absent.db");
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.False(File.Exists(Path.Combine(_files.Directory, "absent.db")), "looking at a missing store must not create it");
    }

    [Fact]
    public async Task Output_EncryptedWithoutTheKey_Exits2WithTheStoreMessage()
    {
        var hello = _files.Write("hello.yaml", WorkflowFiles.Hello);
        var key = new Dictionary<string, string?> { ["WEFT_ENCRYPTION_KEY"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()) };
        string id;
        using (var run = WeftProcess.StartWith(_files.Directory, key, "run", hello, "--json", "--store", "sqlite:" + Db))
        {
            var exit = await run.WaitForExitAsync();
            Assert.True(exit == 0, run.Stderr);
            id = JsonNode.Parse(run.Stdout)!["runId"]!.GetValue<string>();
        }

        var output = await Weft("runs", "output", id, "greet");

        Assert.True(output.ExitCode == 2, output.ToString());
        Assert.StartsWith("error: ", output.Stderr, StringComparison.Ordinal);
        Assert.Contains("WEFT_ENCRYPTION_KEY", output.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output.Stderr, StringComparison.Ordinal);
        Assert.Equal("", output.Stdout);
    }

    [Fact]
    public async Task List_WhileAnotherProcessRuns_ReadsTheStore()
    {
        var slow = _files.Write("slow.yaml", Slow);
        using var running = WeftProcess.Start(_files.Directory, "run", slow, "--store", "sqlite:" + Db);
        Assert.True(await running.WaitForOutputAsync("nap started", TimeSpan.FromSeconds(30)), running.Stdout + running.Stderr);

        var list = await Weft("runs", "list", "--json");
        var show = await Weft("runs", "show", JsonNode.Parse(list.Stdout)!.AsArray()[0]!["runId"]!.GetValue<string>(), "--json");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Equal("running", JsonNode.Parse(list.Stdout)!.AsArray().Single()!["state"]!.GetValue<string>());
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Equal("running", JsonNode.Parse(show.Stdout)!["tasks"]!["nap"]!["state"]!.GetValue<string>());
        await running.SignalAsync("TERM");
        Assert.Equal(130, await running.WaitForExitAsync());
    }

    [Fact]
    public async Task Cancel_RunLeftUnfinishedByACrash_IsRecordedCancelled()
    {
        var slow = _files.Write("slow.yaml", Slow);
        string id;
        using (var running = WeftProcess.Start(_files.Directory, "run", slow, "--store", "sqlite:" + Db))
        {
            Assert.True(await running.WaitForOutputAsync("nap started", TimeSpan.FromSeconds(30)), running.Stdout + running.Stderr);
            id = await WaitForRecordedStateAsync("running");
            running.Crash();
            await running.WaitForExitAsync();
        }

        var cancel = await Weft("runs", "cancel", id);

        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        Assert.Contains($"cancelled run {id}", cancel.Stdout, StringComparison.Ordinal);
        await using var store = await OpenStoreAsync();
        Assert.Empty(await store.ListUnfinishedRunsAsync());
        var run = await store.GetRunAsync(id);
        Assert.Equal(RunState.Cancelled, run!.State);
        Assert.All(run.Tasks, t => Assert.Equal(TaskState.Cancelled, t.State));

        var again = await Weft("runs", "cancel", id);
        Assert.True(again.ExitCode == 2, again.ToString());
        Assert.Contains("already finished (cancelled)", again.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resume_FinishedRun_PrintsItAsRecordedAndExitsByItsState()
    {
        var hello = _files.Write("hello.yaml", WorkflowFiles.Hello);
        var run = await Weft("run", hello, "--json");
        var id = RunIdOf(run, 0);

        var json = await Weft("runs", "resume", id, "--json");
        var plain = await Weft("runs", "resume", id);

        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(run.Stdout), JsonNode.Parse(json.Stdout)), json.Stdout);
        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Contains("succeeded", plain.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunResumeFlag_FinishedRun_ExitsByItsState()
    {
        var hello = _files.Write("hello.yaml", WorkflowFiles.Hello);
        var id = RunIdOf(await Weft("run", hello, "--json"), 0);

        var resumed = await Weft("run", "--resume", id);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
    }

    private Task<WeftResult> Weft(params string[] args) =>
        WeftProcess.RunAsync(_files.Directory, [.. args, "--store", "sqlite:" + Db]);

    private async Task<List<JsonNode>> ListAsync(params string[] args)
    {
        var result = await Weft(["runs", "list", "--json", .. args]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return [.. JsonNode.Parse(result.Stdout)!.AsArray().Select(n => n!)];
    }

    private static string RunIdOf(WeftResult result, int expectedExit)
    {
        Assert.True(result.ExitCode == expectedExit, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        return doc.RootElement.GetProperty("runId").GetString()!;
    }

    // The run's process records its start in a batch of its own; wait for it rather than guess.
    private async Task<string> WaitForRecordedStateAsync(string state)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            await using (var store = await OpenStoreAsync())
            {
                var runs = await store.ListRunsAsync(new Storage.RunQuery());
                if (runs.Count == 1 && runs[0].State.ToName() == state && (await store.GetRunAsync(runs[0].RunId))!.Tasks[0].State == TaskState.Running)
                {
                    return runs[0].RunId;
                }
            }

            await Task.Delay(20);
        }

        Assert.Fail($"the run was not recorded {state} within 30 s");
        return "";
    }

    private async Task<SqliteStore> OpenStoreAsync() =>
        await SqliteStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(_files.Directory, Db) });
}
