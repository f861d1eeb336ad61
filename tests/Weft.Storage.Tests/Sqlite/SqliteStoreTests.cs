using System.Text;
using Microsoft.Data.Sqlite;
using Weft.Execution;
using Weft.Sqlite;
using static Weft.Storage.Tests.Samples;

namespace Weft.Storage.Tests.Sqlite;

public sealed class SqliteStoreTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task OpenAsync_MissingDirectory_IsCreated()
    {
        await using var store = await SqliteStore.OpenAsync(_db.Options());

        Assert.True(File.Exists(_db.Path));
    }

    [Fact]
    public async Task WriteAsync_TenThousandChanges_IsOneCommit()
    {
        await using var store = await SqliteStore.OpenAsync(_db.Options());
        var tasks = Enumerable.Range(0, 5_000).Select(i => new Definitions.TaskDefinition($"t{i}", Definitions.NoopSpec.Instance)).ToArray();
        await store.CreateRunAsync(Run("big", T0, new Definitions.WorkflowDefinition("big", tasks)));
        var changes = tasks.SelectMany(t => new[]
        {
            AttemptChange("big", t.Id, 1, TaskOutcomeStatus.Succeeded, "ok"),
            TaskChange("big", t.Id, TaskState.Succeeded),
        }).ToArray();
        var (commits, statements) = (store.Commits, store.Statements);

        await store.WriteAsync(changes);

        Assert.Equal(1, store.Commits - commits);
        Assert.Equal(10_000, store.Statements - statements);
        var run = (await store.GetRunAsync("big"))!;
        Assert.All(run.Tasks, t => Assert.Equal(TaskState.Succeeded, t.State));
    }

    [Fact]
    public async Task WriteAsync_TasksStartedAndFinishedInOneBatch_AreTwoStatementsEach_WithTheirLastState()
    {
        await using var store = await SqliteStore.OpenAsync(_db.Options());
        var tasks = Enumerable.Range(0, 100).Select(i => new Definitions.TaskDefinition($"t{i}", Definitions.NoopSpec.Instance)).ToArray();
        await store.CreateRunAsync(Run("short", T0, new Definitions.WorkflowDefinition("short", tasks)));

        // What the journal holds when short tasks start and end between two commits: every row twice,
        // first as started, then as finished (t0 fails its first attempt and succeeds its second).
        var changes = tasks.SelectMany(t => new[]
        {
            TaskChange("short", t.Id, TaskState.Running),
            AttemptChange("short", t.Id, 1),
            AttemptChange("short", t.Id, 1, t.Id == "t0" ? TaskOutcomeStatus.Failed : TaskOutcomeStatus.Succeeded, "first"),
            TaskChange("short", t.Id, t.Id == "t0" ? TaskState.Retrying : TaskState.Succeeded),
        }).Concat(
        [
            TaskChange("short", "t0", TaskState.Running, attempts: 2),
            AttemptChange("short", "t0", 2),
            AttemptChange("short", "t0", 2, TaskOutcomeStatus.Succeeded, "second"),
            TaskChange("short", "t0", TaskState.Succeeded, attempts: 2),
        ]).ToArray();
        var statements = store.Statements;

        await store.WriteAsync(changes);

        // One task row per task, one attempt row per attempt: 100 + 101.
        Assert.Equal(201, store.Statements - statements);
        var run = (await store.GetRunAsync("short"))!;
        Assert.All(run.Tasks, t => Assert.Equal(TaskState.Succeeded, t.State));
        var t0 = run.Tasks.Single(t => t.TaskId == "t0");
        Assert.Equal(2, t0.Attempts);
        Assert.Equal([TaskOutcomeStatus.Failed, TaskOutcomeStatus.Succeeded], t0.AttemptHistory.Select(a => a.Outcome));
        Assert.Equal("second", t0.Output);
        Assert.Equal(T0.AddSeconds(2), t0.AttemptHistory[1].StartedAt);
        Assert.Equal("first", run.Tasks.Single(t => t.TaskId == "t1").Output);
    }

    [Fact]
    public async Task CreateRunAsync_TwentyThousandTasks_IsOneCommitOfTwoStatements()
    {
        await using var store = await SqliteStore.OpenAsync(_db.Options());
        var tasks = Enumerable.Range(0, 20_000).Select(i => new Definitions.TaskDefinition($"t{i}", Definitions.NoopSpec.Instance)).ToArray();

        await store.CreateRunAsync(Run("huge", T0, new Definitions.WorkflowDefinition("huge", tasks)));
        await store.CreateRunAsync(Run("huge2", T0, new Definitions.WorkflowDefinition("huge", tasks)));

        Assert.Equal(2, store.Commits);
        Assert.Equal(3, store.Statements); // definition once, then one run row per submit
        Assert.Equal(20_000, (await store.GetRunAsync("huge2"))!.Tasks.Count(t => t.State == TaskState.Pending));
    }

    [Fact]
    public async Task LargeOutput_RoundTrips_AndIsStoredCompressed()
    {
        var output = string.Concat(Enumerable.Range(0, 40_000).Select(i => $"line {i % 100} of the build log\n"));
        await using (var store = await SqliteStore.OpenAsync(_db.Options()))
        {
            await store.CreateRunAsync(Run("r1", T0));
            await store.WriteAsync([AttemptChange("r1", "a", 1, TaskOutcomeStatus.Succeeded, output) with { Stderr = output }, TaskChange("r1", "a", TaskState.Succeeded)]);

            Assert.Equal(output, await store.GetOutputAsync("r1", "a"));
            Assert.Equal(output, (await store.GetRunAsync("r1"))!.Tasks[0].AttemptHistory[0].Stderr);
        }

        var raw = Encoding.UTF8.GetByteCount(output);
        Assert.True(_db.FileBytes().Length < raw / 4, $"database is {_db.FileBytes().Length} bytes for {raw} bytes of output (twice)");
        await using var reopened = await SqliteStore.OpenAsync(_db.Options());
        Assert.Equal(output, await reopened.GetOutputAsync("r1", "a", 1));
    }

    [Fact]
    public async Task SecondInstance_ReadsWhileAnotherConnectionHoldsTheWriteLock()
    {
        await using var writer = await SqliteStore.OpenAsync(_db.Options());
        await writer.CreateRunAsync(Run("r1", T0));
        await using var reader = await SqliteStore.OpenAsync(_db.Options());
        using var other = new SqliteConnection($"Data Source={_db.Path};Pooling=False");
        other.Open();
        using var tx = other.BeginTransaction();
        using (var update = other.CreateCommand())
        {
            update.CommandText = "UPDATE runs SET state = 'running'";
            update.ExecuteNonQuery();
        }

        var listed = await reader.ListRunsAsync(new RunQuery()).AsTask().WaitAsync(TimeSpan.FromSeconds(2));

        Assert.Equal(RunState.Pending, Assert.Single(listed).State);
        tx.Rollback();
    }

    [Fact]
    public async Task SecondInstance_ReadsConcurrentlyWithWrites_SeesOnlyCommittedState()
    {
        await using var writer = await SqliteStore.OpenAsync(_db.Options());
        await writer.CreateRunAsync(Run("r1", T0));
        await using var reader = await SqliteStore.OpenAsync(_db.Options());

        var writing = Task.Run(async () =>
        {
            for (var i = 1; i <= 200; i++)
            {
                await writer.WriteAsync([TaskChange("r1", "a", TaskState.Running, attempts: i), AttemptChange("r1", "a", i, TaskOutcomeStatus.Failed, $"out {i}")]);
            }

            await writer.WriteAsync([Finished("r1", RunState.Succeeded, T0.AddHours(1))]);
        });
        var reads = 0;
        while (!writing.IsCompleted)
        {
            var output = await reader.GetOutputAsync("r1", "a");
            Assert.True(output is null || output.StartsWith("out ", StringComparison.Ordinal));
            Assert.Single(await reader.ListRunsAsync(new RunQuery()));
            reads++;
        }

        await writing;
        Assert.True(reads > 0);
        Assert.Equal(RunState.Succeeded, (await reader.ListRunsAsync(new RunQuery())).Single().State);
        Assert.Equal("out 200", await reader.GetOutputAsync("r1", "a"));
    }

    [Fact]
    public async Task PurgeAsync_RemovesRowsAndDefinitionsNoRunUses()
    {
        await using (var store = await SqliteStore.OpenAsync(_db.Options()))
        {
            await store.CreateRunAsync(Run("old", T0, Flow("gone")));
            await store.CreateRunAsync(Run("kept", T0, Flow("stays")));
            await store.WriteAsync(
            [
                AttemptChange("old", "a", 1, TaskOutcomeStatus.Succeeded, "x"), TaskChange("old", "a", TaskState.Succeeded),
                Finished("old", RunState.Succeeded, T0.AddMinutes(1)),
            ]);

            Assert.Equal(1, await store.PurgeAsync(T0.AddHours(1)));
        }

        Assert.Equal(["stays"], Strings("SELECT name FROM definitions"));
        Assert.Equal(["kept"], Strings("SELECT run_id FROM runs"));
        Assert.Empty(Strings("SELECT task_id FROM tasks UNION ALL SELECT task_id FROM attempts"));
    }

    [Fact]
    public async Task OpenAsync_NotADatabase_ThrowsWeftStoreExceptionNamingThePath()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_db.Path)!);
        await File.WriteAllTextAsync(_db.Path, new string('x', 8192));

        var e = await Assert.ThrowsAsync<WeftStoreException>(async () => await SqliteStore.OpenAsync(_db.Options()));

        Assert.Contains(_db.Path, e.Message);
        Assert.Contains("not a SQLite database", e.Message);
    }

    [Fact]
    public async Task OpenAsync_BadOptions_ReportsEveryError()
    {
        var e = await Assert.ThrowsAsync<WeftConfigurationException>(async () =>
            await SqliteStore.OpenAsync(new SqliteStoreOptions { EncryptionKey = new byte[16], CompressionThreshold = -1 }));

        Assert.Equal(3, e.Errors.Count);
    }

    private List<string> Strings(string sql)
    {
        using var c = new SqliteConnection($"Data Source={_db.Path};Pooling=False");
        c.Open();
        using var command = c.CreateCommand();
        command.CommandText = sql;
        using var r = command.ExecuteReader();
        var values = new List<string>();
        while (r.Read())
        {
            values.Add(r.GetString(0));
        }

        return values;
    }
}
