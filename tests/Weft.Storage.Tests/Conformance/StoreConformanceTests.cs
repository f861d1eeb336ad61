using Weft.Execution;
using static Weft.Storage.Tests.Samples;

namespace Weft.Storage.Tests.Conformance;

/// <summary>The store contract (IWeftStore), run against every implementation: a subclass says how
/// to create a fresh, empty store. Each test gets its own store, disposed after.</summary>
public abstract partial class StoreConformanceTests : IAsyncLifetime
{
    private readonly List<IWeftStore> _opened = [];

    /// <summary>A new, empty store.</summary>
    protected abstract Task<IWeftStore> CreateStoreAsync();

    protected IWeftStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = Track(await CreateStoreAsync());

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }
    }

    /// <summary>Disposes <paramref name="store"/> with the test (disposing twice is allowed).</summary>
    protected IWeftStore Track(IWeftStore store)
    {
        _opened.Add(store);
        return store;
    }

    [Fact]
    public async Task CreateRun_ThenGetRun_AllTasksPendingInDefinitionOrder()
    {
        await Store.CreateRunAsync(Run("r1", T0));

        var run = await Store.GetRunAsync("r1");

        Assert.NotNull(run);
        Assert.Equal("etl", run.Workflow);
        Assert.Equal(RunState.Pending, run.State);
        Assert.Equal(T0, run.SubmittedAt);
        Assert.Null(run.StartedAt);
        Assert.Equal(["a", "b", "c"], run.Tasks.Select(t => t.TaskId));
        Assert.Equal(["shell", "http", "noop"], run.Tasks.Select(t => t.Kind));
        Assert.All(run.Tasks, t =>
        {
            Assert.Equal(TaskState.Pending, t.State);
            Assert.Equal(0, t.Attempts);
            Assert.Empty(t.AttemptHistory);
        });
    }

    [Fact]
    public async Task CreateRun_StartTimeAndDeadline_AreLoadedBack()
    {
        await Store.CreateRunAsync(Run("r1", T0) with { NotBefore = T0.AddHours(2), Deadline = T0.AddHours(3) });
        await Store.CreateRunAsync(Run("r2", T0));

        var scheduled = await Store.LoadRunAsync("r1");
        var plain = await Store.LoadRunAsync("r2");

        Assert.Equal(T0.AddHours(2), scheduled!.Record.NotBefore);
        Assert.Equal(T0.AddHours(3), scheduled.Record.Deadline);
        Assert.Null(plain!.Record.NotBefore);
        Assert.Null(plain.Record.Deadline);
    }

    [Fact]
    public async Task Attempts_NameTheWorkerThatRanThem()
    {
        await Store.CreateRunAsync(Run("r1", T0));
        await Store.WriteAsync([
            TaskChange("r1", "a", TaskState.Running, attempts: 2),
            TaskChange("r1", "b", TaskState.Succeeded),
            AttemptChange("r1", "a", 1, TaskOutcomeStatus.Interrupted) with { Worker = "w1", Error = "worker lost: worker 'w1' stopped renewing its lease" },
            AttemptChange("r1", "a", 2, TaskOutcomeStatus.Succeeded, "ok") with { Worker = "w2" },
            AttemptChange("r1", "b", 1, TaskOutcomeStatus.Succeeded, "local"),
        ]);

        var run = await Store.GetRunAsync("r1");
        var loaded = await Store.LoadRunAsync("r1");

        Assert.Equal(["w1", "w2"], run!.Tasks[0].AttemptHistory.Select(a => a.Worker));
        Assert.Null(run.Tasks[1].AttemptHistory.Single().Worker); // run by the engine's own slots
        Assert.Equal(["w1", "w2"], loaded!.Snapshot.Tasks[0].AttemptHistory.Select(a => a.Worker));
    }

    [Fact]
    public async Task CreateRun_SameIdTwice_Throws()
    {
        await Store.CreateRunAsync(Run("r1", T0));

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Store.CreateRunAsync(Run("r1", T0)));
    }

    [Fact]
    public async Task CreateRun_SubmittedAtOnceWithATakenId_RefusesThatOneAlone()
    {
        await Store.CreateRunAsync(Run("taken", T0));

        // Durable stores commit runs submitted together in one transaction: the taken id must not take the others with it.
        var submits = new[] { "a", "taken", "b", "c" }.Select(async id => await Store.CreateRunAsync(Run(id, T0))).ToArray();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => submits[1]);
        await Task.WhenAll(submits[0], submits[2], submits[3]);

        Assert.Equal("a run with id 'taken' already exists", refused.Message);
        Assert.Equal(["a", "b", "c", "taken"], (await Store.ListRunsAsync(new RunQuery())).Select(r => r.RunId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GetRunAndLoadRun_UnknownRun_ReturnNull()
    {
        Assert.Null(await Store.GetRunAsync("nope"));
        Assert.Null(await Store.LoadRunAsync("nope"));
        Assert.Null(await Store.GetOutputAsync("nope", "a"));
    }

    [Fact]
    public async Task WriteAsync_TaskAttemptAndRunChanges_SnapshotShowsLatestState()
    {
        await Store.CreateRunAsync(Run("r1", T0));
        var due = T0.AddSeconds(30);

        await Store.WriteAsync(Story("r1", due));

        var run = (await Store.GetRunAsync("r1"))!;
        Assert.Equal(RunState.Running, run.State);
        Assert.Equal(T0, run.StartedAt);
        Assert.Null(run.FinishedAt);
        var a = run.Tasks[0];
        Assert.Equal(TaskState.Succeeded, a.State);
        Assert.Equal(2, a.Attempts);
        Assert.Equal("second try", a.Output);
        Assert.True(a.OutputTruncated);
        Assert.Equal([1, 2], a.AttemptHistory.Select(h => h.Number));
        Assert.Equal([TaskOutcomeStatus.Failed, TaskOutcomeStatus.Succeeded], a.AttemptHistory.Select(h => h.Outcome));
        Assert.Equal(75, a.AttemptHistory[0].ExitCode);
        Assert.Equal("exit code 75", a.AttemptHistory[0].Error);
        Assert.Equal("boom on stderr", a.AttemptHistory[0].Stderr);
        Assert.Equal(T0.AddSeconds(1), a.AttemptHistory[0].StartedAt);
        Assert.Equal(T0.AddSeconds(1.5), a.AttemptHistory[0].FinishedAt);
        Assert.Equal(0, a.ExitCode);
        var b = run.Tasks[1];
        Assert.Equal(TaskState.Retrying, b.State);
        Assert.Equal(due, b.RetryDueAt);
        Assert.Equal("http 503", b.Error);
        Assert.Equal(503, Assert.Single(b.AttemptHistory).HttpStatus);
        Assert.Equal(TaskState.Pending, run.Tasks[2].State);
    }

    [Fact]
    public async Task WriteAsync_RunningAttempt_HasNoOutcomeUntilItFinishes()
    {
        await Store.CreateRunAsync(Run("r1", T0));

        await Store.WriteAsync([TaskChange("r1", "a", TaskState.Running), AttemptChange("r1", "a", 1)]);
        var running = (await Store.GetRunAsync("r1"))!.Tasks[0];
        await Store.WriteAsync([TaskChange("r1", "a", TaskState.Succeeded), AttemptChange("r1", "a", 1, TaskOutcomeStatus.Succeeded, "done")]);
        var done = (await Store.GetRunAsync("r1"))!.Tasks[0];

        Assert.Null(Assert.Single(running.AttemptHistory).Outcome);
        Assert.Null(running.Output);
        Assert.Equal(TaskOutcomeStatus.Succeeded, Assert.Single(done.AttemptHistory).Outcome);
        Assert.Equal("done", done.Output);
    }

    [Fact]
    public async Task WriteAsync_SameChangesTwice_IsHarmless()
    {
        await Store.CreateRunAsync(Run("r1", T0));
        var changes = Story("r1", T0.AddSeconds(30));
        await Store.WriteAsync(changes);
        var once = (await Store.GetRunAsync("r1"))!;

        await Store.WriteAsync(changes);
        var twice = (await Store.GetRunAsync("r1"))!;

        Assert.Equal(Describe(once), Describe(twice));
        Assert.Equal(2, twice.Tasks[0].AttemptHistory.Count);
    }

    [Fact]
    public async Task WriteAsync_ChangesForUnknownRun_AreIgnored()
    {
        await Store.WriteAsync([TaskChange("ghost", "a", TaskState.Running), AttemptChange("ghost", "a", 1), RunChange("ghost", RunState.Running)]);

        Assert.Null(await Store.GetRunAsync("ghost"));
        Assert.Empty(await Store.ListRunsAsync(new RunQuery()));
    }

    /// <summary>Task a fails once (exit 75) and succeeds; task b waits out a retry after HTTP 503.</summary>
    protected static StoreChange[] Story(string runId, DateTimeOffset retryDue) =>
    [
        RunChange(runId, RunState.Running, started: T0),
        TaskChange(runId, "a", TaskState.Running),
        AttemptChange(runId, "a", 1),
        AttemptChange(runId, "a", 1, TaskOutcomeStatus.Failed, "first try") with { ExitCode = 75, Error = "exit code 75", Stderr = "boom on stderr" },
        TaskChange(runId, "a", TaskState.Retrying) with { RetryDueAt = T0.AddSeconds(2), Error = "exit code 75", ExitCode = 75 },
        AttemptChange(runId, "a", 2, TaskOutcomeStatus.Succeeded, "second try") with { ExitCode = 0, OutputTruncated = true },
        TaskChange(runId, "a", TaskState.Succeeded, attempts: 2) with { ExitCode = 0, FinishedAt = T0.AddSeconds(3) },
        AttemptChange(runId, "b", 1, TaskOutcomeStatus.Failed) with { HttpStatus = 503, Error = "http 503" },
        TaskChange(runId, "b", TaskState.Retrying) with { RetryDueAt = retryDue, Error = "http 503" },
    ];

    /// <summary>Everything a snapshot says, as text, so two snapshots compare by value.</summary>
    protected static string Describe(RunSnapshot run) =>
        $"{run.RunId} {run.State} {run.StartedAt:O} {run.FinishedAt:O} [{string.Join(",", run.Params.Select(p => $"{p.Key}={p.Value}"))}]\n" +
        string.Join("\n", run.Tasks.Select(t =>
            $"{t.TaskId} {t.Kind} {t.State} {t.Attempts} {t.StartedAt:O} {t.FinishedAt:O} {t.Output} {t.OutputTruncated} {t.Error} {t.ExitCode} {t.RetryDueAt:O} " +
            string.Join(";", t.AttemptHistory.Select(a => $"{a.Number} {a.StartedAt:O} {a.FinishedAt:O} {a.Outcome} {a.ExitCode} {a.HttpStatus} {a.Error} {a.Stderr}"))));
}
