using Weft.Execution;
using Weft.Postgres;
using static Weft.Storage.Tests.Postgres.PgSamples;
using static Weft.Storage.Tests.Samples;

namespace Weft.Storage.Tests.Postgres;

/// <summary>Round trips are the cost on PostgreSQL: a batch is one commit and one statement per kind of row.</summary>
public sealed class CountTests : IAsyncLifetime
{
    private readonly PostgresSchema _schema = new();
    private PostgresStore _store = null!;

    public async Task InitializeAsync() => _store = await _schema.OpenAsync();

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _schema.DisposeAsync();
    }

    [Fact]
    public async Task WriteAsync_ThousandChanges_IsOneCommitOfAFewStatements()
    {
        await _store.CreateRunAsync(Run("r1", T0));
        var changes = new List<StoreChange> { RunChange("r1", RunState.Running, started: T0) };
        for (var i = 0; i < 333; i++)
        {
            changes.Add(TaskChange("r1", "t" + i, TaskState.Running));
            changes.Add(AttemptChange("r1", "t" + i, 1));
            changes.Add(Enqueue("r1", "t" + i));
        }

        var (commits, statements) = (_store.Commits, _store.Statements);
        await _store.WriteAsync(changes);

        Assert.Equal(1000, changes.Count);
        Assert.Equal(1, _store.Commits - commits);
        Assert.Equal(5, _store.Statements - statements); // runs, tasks, attempts, queue, NOTIFY tasks_queued
        Assert.Equal(333, (await _store.ListQueuedAsync("r1")).Count);
    }

    [Fact]
    public async Task WriteAsync_AStatementFails_NothingOfTheBatchIsWritten()
    {
        await _store.CreateRunAsync(Run("r1", T0));

        // A queue row without a task id violates NOT NULL in the batch's last data statement.
        await Assert.ThrowsAsync<WeftStoreException>(async () =>
            await _store.WriteAsync([RunChange("r1", RunState.Running, started: T0), TaskChange("r1", "a", TaskState.Running), Enqueue("r1", null!)]));

        var run = (await _store.GetRunAsync("r1"))!;
        Assert.Equal(RunState.Pending, run.State);
        Assert.Equal(TaskState.Pending, run.Tasks[0].State);
    }

    [Fact]
    public async Task WriteAsync_ChangesToTheSameRow_CollapseToTheLatest()
    {
        await _store.CreateRunAsync(Run("r1", T0));

        await _store.WriteAsync(
        [
            TaskChange("r1", "a", TaskState.Running),
            AttemptChange("r1", "a", 1),
            AttemptChange("r1", "a", 1, TaskOutcomeStatus.Succeeded, "out"),
            TaskChange("r1", "a", TaskState.Succeeded),
        ]);

        var a = (await _store.GetRunAsync("r1"))!.Tasks[0];
        Assert.Equal(TaskState.Succeeded, a.State);
        Assert.Equal("out", a.Output);
    }

    [Fact]
    public async Task CreateRunAsync_IsOneCommit_DefinitionSentOncePerHash()
    {
        var (commits, statements) = (_store.Commits, _store.Statements);

        await _store.CreateRunAsync(Run("r1", T0));
        await _store.CreateRunAsync(Run("r2", T0));

        Assert.Equal(2, _store.Commits - commits);
        Assert.Equal(5, _store.Statements - statements); // definition + run + NOTIFY, then run + NOTIFY
    }

    [Fact]
    public async Task CreateRunAsync_RunsSubmittedAtOnce_ShareCommits_EachRecordedWhenItsSubmitReturns()
    {
        await using var other = await PostgresStore.OpenAsync(await _schema.OptionsAsync());
        var commits = _store.Commits;

        var submits = Enumerable.Range(0, 200).Select(async i =>
        {
            await _store.CreateRunAsync(Run("r" + i, T0));
            return await other.GetRunAsync("r" + i);
        }).ToArray();
        var recorded = await Task.WhenAll(submits);

        Assert.All(recorded, Assert.NotNull);
        Assert.True(_store.Commits - commits < 200, $"{_store.Commits - commits} commits for 200 runs: none shared");
    }

    [Fact]
    public async Task CreateRunAsync_DefinitionPurgedByAnotherInstance_IsStoredAgain()
    {
        await using var other = await PostgresStore.OpenAsync(await _schema.OptionsAsync());
        await _store.CreateRunAsync(Run("old", T0));
        await _store.WriteAsync([Finished("old", RunState.Succeeded, T0.AddMinutes(1))]);
        Assert.Equal(1, await other.PurgeAsync(T0.AddHours(1)));

        await _store.CreateRunAsync(Run("new", T0));

        Assert.Equal(["a", "b", "c"], (await other.GetRunAsync("new"))!.Tasks.Select(t => t.TaskId));
    }
}
