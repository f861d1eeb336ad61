using System.Collections.Concurrent;
using Weft.Cluster;
using Weft.Execution;
using Weft.Postgres;
using static Weft.Storage.Tests.Postgres.PgSamples;
using static Weft.Storage.Tests.Samples;

namespace Weft.Storage.Tests.Postgres;

public sealed class QueueTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private readonly PostgresSchema _schema = new();
    private PostgresStore _store = null!;

    public async Task InitializeAsync() => _store = await _schema.OpenAsync();

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _schema.DisposeAsync();
    }

    [Fact]
    public async Task Claim_OldestFirst_WithTheRunsDefinitionAndPayload()
    {
        await _store.CreateRunAsync(Run("r1", T0));
        await _store.WriteAsync([Enqueue("r1", "a", payload: "{\"values\":{}}"), Enqueue("r1", "b"), Enqueue("r1", "c", queue: "gpu")]);

        var claimed = await _store.ClaimAsync("w1", ["default"], 10, Lease);

        Assert.Equal(["a", "b"], claimed.Select(t => t.TaskId));
        Assert.True(claimed[0].Id < claimed[1].Id);
        Assert.Equal("{\"values\":{}}", claimed[0].Payload);
        Assert.Null(claimed[1].Payload);
        Assert.All(claimed, t => Assert.Equal("w1", t.Worker));
        Assert.NotNull(await _store.GetDefinitionAsync(claimed[0].DefinitionHash));
        Assert.Empty(await _store.ClaimAsync("w2", ["default"], 10, Lease));
        Assert.Equal("c", Assert.Single(await _store.ClaimAsync("w2", ["gpu", "other"], 10, Lease)).TaskId);
    }

    [Fact]
    public async Task Enqueue_Twice_OneRow_AndUnknownRunIgnored()
    {
        await _store.CreateRunAsync(Run("r1", T0));

        await _store.WriteAsync([Enqueue("r1", "a"), Enqueue("r1", "a"), Enqueue("ghost", "a")]);
        await _store.WriteAsync([Enqueue("r1", "a")]);

        Assert.Single(await _store.ListQueuedAsync("r1"));
        Assert.Empty(await _store.ListQueuedAsync("ghost"));
    }

    [Fact]
    public async Task ConcurrentClaims_FromTwoStores_NeverShareARow()
    {
        const int Rows = 600;
        await EnqueueRunAsync(_store, "r1", Rows);
        await using var other = await PostgresStore.OpenAsync(await _schema.OptionsAsync());
        var seen = new ConcurrentDictionary<long, string>();
        var duplicates = new ConcurrentBag<long>();

        async Task WorkerAsync(PostgresStore store, string name)
        {
            for (var round = 0; round < 200; round++)
            {
                var claimed = await store.ClaimAsync(name, ["default"], 3, Lease);
                if (claimed.Count == 0)
                {
                    return;
                }

                foreach (var task in claimed)
                {
                    if (!seen.TryAdd(task.Id, name))
                    {
                        duplicates.Add(task.Id);
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => WorkerAsync(i % 2 == 0 ? _store : other, "w" + i))));

        Assert.Empty(duplicates);
        Assert.Equal(Rows, seen.Count);
        Assert.True(seen.Values.Distinct().Count() > 1, "only one worker got rows; the test did not race");
    }

    [Fact]
    public async Task ZeroLease_ShowsUpAsLost_UntilCompleted()
    {
        await EnqueueRunAsync(_store, "r1", 2);
        var claimed = await _store.ClaimAsync("w1", ["default"], 1, TimeSpan.Zero);
        await _store.ClaimAsync("w2", ["default"], 1, Lease);

        var lost = Assert.Single(await _store.ReadLostTasksAsync(10));

        Assert.Equal((claimed[0].Id, "t0", "w1", 1), (lost.Id, lost.TaskId, lost.Worker, lost.Attempt));
        await _store.CompleteAsync([Completion(claimed[0], "w1")]);
        Assert.Empty(await _store.ReadLostTasksAsync(10));
    }

    [Fact]
    public async Task Complete_RecordsOutcome_ForTheScheduler_UntilDequeued()
    {
        await EnqueueRunAsync(_store, "r1", 2);
        var claimed = await _store.ClaimAsync("w1", ["default"], 2, Lease);

        await _store.CompleteAsync([Completion(claimed[1], "w1", "second"), Completion(claimed[0], "w1", "first")]);
        var completions = await _store.ReadCompletionsAsync(10);

        Assert.Equal(2, completions.Count);
        var first = completions.Single(c => c.TaskId == "t0");
        Assert.Equal(("w1", TaskOutcomeStatus.Succeeded, "first", "err first", 0), (first.Worker, first.Outcome.Status, first.Outcome.Output, first.Outcome.Stderr, first.Outcome.ExitCode));
        Assert.Equal((T0, T0.AddSeconds(1)), (first.StartedAt, first.FinishedAt));
        await _store.WriteAsync([Dequeue("r1", claimed[0].Id), Dequeue("r1", claimed[1].Id)]);
        Assert.Empty(await _store.ReadCompletionsAsync(10));
        Assert.Empty(await _store.ListQueuedAsync("r1"));
    }

    [Fact]
    public async Task Complete_FromAWorkerThatNoLongerHoldsTheRow_IsIgnored()
    {
        await EnqueueRunAsync(_store, "r1", 1);
        var mine = Assert.Single(await _store.ClaimAsync("w1", ["default"], 1, Lease));

        await _store.CompleteAsync([Completion(mine, "someone-else")]);
        Assert.Empty(await _store.ReadCompletionsAsync(10));

        // The scheduler takes the row back as lost and queues attempt 2: the old worker's late report finds no row.
        await _store.WriteAsync([Dequeue("r1", mine.Id), Enqueue("r1", "t0", attempt: 2)]);
        await _store.CompleteAsync([Completion(mine, "w1")]);
        Assert.Empty(await _store.ReadCompletionsAsync(10));
        Assert.Equal(2, Assert.Single(await _store.ListQueuedAsync("r1")).Attempt);
    }

    [Fact]
    public async Task Heartbeat_ExtendsLeases_AndReturnsCancelledRows()
    {
        await EnqueueRunAsync(_store, "r1", 1);
        await EnqueueRunAsync(_store, "r2", 1);
        await _store.RegisterWorkerAsync(new WorkerInfo { Name = "w1", Slots = 2 });
        var claimed = await _store.ClaimAsync("w1", ["default"], 2, TimeSpan.Zero);
        Assert.Equal(2, (await _store.ReadLostTasksAsync(10)).Count);

        Assert.Empty(await _store.HeartbeatAsync("w1", Lease));
        Assert.Empty(await _store.ReadLostTasksAsync(10));

        await _store.WriteAsync([CancelQueued("r2")]);
        var cancelled = await _store.HeartbeatAsync("w1", Lease);

        Assert.Equal([claimed.Single(t => t.RunId == "r2").Id], cancelled);
    }

    [Fact]
    public async Task CancelQueued_RowsAreNotClaimed_AndRowsEnqueuedAfterInTheBatchAre()
    {
        await _store.CreateRunAsync(Run("r1", T0));

        await _store.WriteAsync([Enqueue("r1", "a"), CancelQueued("r1"), Enqueue("r1", "b"), Enqueue("r1", "a")]);

        Assert.Equal("b", Assert.Single(await _store.ClaimAsync("w", ["default"], 10, Lease)).TaskId);
    }

    [Fact]
    public async Task Workers_RegisterHeartbeatUnregister_ListedNewestHeartbeatFirst()
    {
        var started = T0.AddHours(1);
        await _store.RegisterWorkerAsync(new WorkerInfo { Name = "w1", Queues = ["default", "gpu"], Tags = ["eu"], Slots = 4, StartedAt = started });
        await _store.RegisterWorkerAsync(new WorkerInfo { Name = "w2", Slots = 1 });
        await _store.HeartbeatAsync("w1", Lease);
        await _store.UnregisterWorkerAsync("w2");
        await _store.HeartbeatAsync("w1", Lease);

        var workers = await _store.ListWorkersAsync();

        Assert.Equal(["w1", "w2"], workers.Select(w => w.Name));
        Assert.Equal((4, started, false), (workers[0].Slots, workers[0].StartedAt, workers[0].Stopped));
        Assert.Equal(["default", "gpu"], workers[0].Queues);
        Assert.Equal(["eu"], workers[0].Tags);
        Assert.True(workers[1].Stopped);
        Assert.NotNull(workers[0].HeartbeatAt);
    }

    [Fact]
    public async Task PurgedRun_TakesItsQueueRowsWithIt()
    {
        await EnqueueRunAsync(_store, "r1", 2);
        await _store.WriteAsync([Finished("r1", RunState.Cancelled, T0.AddMinutes(1))]);

        Assert.Equal(1, await _store.PurgeAsync(T0.AddHours(1)));

        Assert.Empty(await _store.ListQueuedAsync("r1"));
    }

    [Fact]
    public async Task GetDefinition_UnknownHash_IsNull() => Assert.Null(await _store.GetDefinitionAsync("nope"));
}
