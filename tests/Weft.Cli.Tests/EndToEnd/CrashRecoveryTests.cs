using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Weft.Execution;
using Weft.Sqlite;
using Xunit.Abstractions;

namespace Weft.Tests.EndToEnd;

/// <summary>The crash-recovery proof (DESIGN.md "Invariants"): a <c>weft run</c> process is killed
/// with SIGKILL at a random point of a 300-task DAG, then <c>weft runs resume</c> finishes the run.
/// Nothing recorded as succeeded runs again, every task runs at least once, an attempt cut off by
/// the kill says so, and the database is intact.</summary>
[Trait("Category", "EndToEnd")]
public sealed class CrashRecoveryTests : IDisposable
{
    private const int Chains = 20;
    private const int ChainLength = 15;
    private const int TaskCount = Chains * ChainLength;
    private const int Trials = 10;
    private const int MaxLinesBeforeKill = 280;
    private static readonly TimeSpan TrialTimeout = TimeSpan.FromSeconds(30);

    private readonly WorkflowFiles _files = new();
    private readonly ITestOutputHelper _output;

    public CrashRecoveryTests(ITestOutputHelper output) => _output = output;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _files.Dispose();
    }

    [Fact]
    public async Task Resume_AfterSigkillAtRandomPoints_RunsEveryTaskAndNothingRecordedTwice()
    {
        var flow = _files.Write("flow.yaml", Workflow());
        var random = new Random(20261122);
        var trials = 0;
        var attempts = 0;
        var k = random.Next(1, MaxLinesBeforeKill + 1);
        while (trials < Trials)
        {
            Assert.True(++attempts <= Trials * 3, $"only {trials} of {Trials} trials killed the run before it finished");
            var outcome = await TrialAsync(flow, attempts, k);
            _output.WriteLine($"trial {attempts}: k={k}: {outcome ?? "the run finished before the kill (not a trial)"}");
            if (outcome is null)
            {
                // The run finished before the kill: not a trial. Try again, earlier.
                k = Math.Max(1, k / 2);
                continue;
            }

            trials++;
            k = random.Next(1, MaxLinesBeforeKill + 1);
        }
    }

    // Null when the run finished before it could be killed; else what the trial saw.
    private async Task<string?> TrialAsync(string flow, int n, int k)
    {
        var db = Path.Combine(_files.Directory, $"crash-{n}.db");
        var log = Path.Combine(_files.Directory, $"crash-{n}.log");
        using (var weft = WeftProcess.Start(_files.Directory, "run", flow, "--store", "sqlite:" + db, "-p", "log=" + log, "--json"))
        {
            var deadline = Stopwatch.StartNew();
            while (LineCount(log) < k && !weft.HasExited)
            {
                Assert.True(deadline.Elapsed < TrialTimeout, $"trial {n}: {LineCount(log)} of {k} lines after {TrialTimeout.TotalSeconds:0} s\n{weft.Stderr}");
                await Task.Delay(1);
            }

            if (weft.HasExited)
            {
                var exit = await weft.WaitForExitAsync();
                Assert.True(exit == 0 && LineCount(log) == TaskCount, $"trial {n}: the run ended by itself with exit {exit} after {LineCount(log)} lines\n{weft.Stderr}");
                return null;
            }

            weft.Crash();
            await weft.WaitForExitAsync();
        }

        string runId;
        HashSet<string> succeededBefore;
        HashSet<string> runningBefore;
        await using (var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { Path = db }))
        {
            var unfinished = await store.ListUnfinishedRunsAsync();
            if (unfinished.Count == 0 && (await store.ListRunsAsync(new Storage.RunQuery())) is [{ State: RunState.Succeeded }])
            {
                return null; // It finished in the instant before the kill.
            }

            runId = Assert.Single(unfinished);
            var before = (await store.GetRunAsync(runId))!;
            succeededBefore = [.. before.Tasks.Where(t => t.State == TaskState.Succeeded).Select(t => t.TaskId)];
            runningBefore = [.. before.Tasks.Where(t => t.State == TaskState.Running).Select(t => t.TaskId)];
        }

        SqliteConnection.ClearAllPools();
        var logBefore = Counts(log);

        var resume = await WeftProcess.RunAsync(_files.Directory, "runs", "resume", runId, "--store", "sqlite:" + db, "--json");

        Assert.True(resume.ExitCode == 0, $"trial {n}: {resume}");
        var document = JsonNode.Parse(resume.Stdout)!;
        Assert.Equal(runId, document["runId"]!.GetValue<string>());
        Assert.Equal("succeeded", document["state"]!.GetValue<string>());

        var logAfter = Counts(log);
        for (var i = 0; i < TaskCount; i++)
        {
            Assert.True(logAfter.GetValueOrDefault($"t{i}") >= 1, $"trial {n}: t{i} never ran");
        }

        foreach (var id in succeededBefore)
        {
            Assert.True(logAfter[id] == logBefore[id], $"trial {n}: {id} was recorded succeeded before the kill but ran again ({logBefore[id]} → {logAfter[id]})");
        }

        await using (var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { Path = db }))
        {
            var after = (await store.GetRunAsync(runId))!;
            Assert.Equal(RunState.Succeeded, after.State);
            Assert.Empty(await store.ListUnfinishedRunsAsync());
            Assert.Equal(TaskCount, after.Tasks.Count);
            Assert.All(after.Tasks, t => Assert.True(t.State == TaskState.Succeeded, $"trial {n}: {t.TaskId} is {t.State.ToName()}"));
            foreach (var id in runningBefore)
            {
                var task = after.Tasks.Single(t => t.TaskId == id);
                Assert.True(
                    task.AttemptHistory.Any(a => a.Outcome == TaskOutcomeStatus.Interrupted),
                    $"trial {n}: {id} was running at the kill but its history has no interrupted attempt: {string.Join(", ", task.AttemptHistory.Select(a => a.Outcome))}");
            }

            foreach (var id in succeededBefore)
            {
                Assert.Equal(1, after.Tasks.Single(t => t.TaskId == id).Attempts);
            }
        }

        SqliteConnection.ClearAllPools();
        Assert.Equal("ok", IntegrityCheck(db));
        return $"killed after {logBefore.Values.Sum()} lines; {succeededBefore.Count} recorded succeeded, {runningBefore.Count} running, {logAfter.Values.Sum() - TaskCount} ran twice";
    }

    // 20 chains of 15; task j of a chain also waits for task j-1 of the next chain, so the DAG has
    // 15 layers of 20 with two parents per task.
    private static string Workflow()
    {
        var yaml = new StringBuilder("name: crash\nparams:\n  log: log.txt\ntasks:\n");
        for (var c = 0; c < Chains; c++)
        {
            for (var j = 0; j < ChainLength; j++)
            {
                var i = (c * ChainLength) + j;
                yaml.Append($"  t{i}:\n    shell: echo t{i} >> \"{{{{ params.log }}}}\"\n");
                if (j > 0)
                {
                    yaml.Append($"    dependsOn: [t{i - 1}, t{(((c + 1) % Chains) * ChainLength) + j - 1}]\n");
                }
            }
        }

        return yaml.ToString();
    }

    private static int LineCount(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var count = 0;
        Span<byte> buffer = stackalloc byte[8192];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            count += buffer[..read].Count((byte)'\n');
        }

        return count;
    }

    private static Dictionary<string, int> Counts(string path) =>
        File.Exists(path)
            ? File.ReadAllLines(path).Where(l => l.Length > 0).GroupBy(l => l.Trim()).ToDictionary(g => g.Key, g => g.Count())
            : [];

    private static string IntegrityCheck(string db)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }
}
