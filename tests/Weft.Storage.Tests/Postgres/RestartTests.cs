using Weft.Cluster;
using Weft.Postgres;
using Weft.Testing;
using static Weft.Storage.Tests.Postgres.PgSamples;
using static Weft.Storage.Tests.Samples;

namespace Weft.Storage.Tests.Postgres;

/// <summary>A PostgreSQL restart breaks every connection: the same store instance works again once the
/// server is back, its listener reconnects, and a leader learns it lost the lock. One test restarts the
/// server for all of these, since a restart breaks every other test's connections too.</summary>
[Collection(RestartCollection.Name)]
public sealed class RestartTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly PostgresSchema _schema = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [Fact]
    public async Task AfterRestart_SameInstanceWorks_ListenerReconnects_LeaderIsToldItLost()
    {
        Assert.True(await TestPostgres.WhyNoRestartAsync() is null, await TestPostgres.WhyNoRestartAsync());
        await using var store = await _schema.OpenAsync();
        await using var raiser = await PostgresStore.OpenAsync(await _schema.OptionsAsync());
        await EnqueueRunAsync(store, "r1", 2);
        await store.WhenListeningAsync();
        await using var leader = await store.TryLeadAsync();
        Assert.NotNull(leader);
        var waitingThroughRestart = store.WaitForSignalAsync(ClusterSignal.RunFinished, TimeSpan.FromMinutes(10)).AsTask();

        await TestPostgres.RestartAsync();

        // The broken LISTEN connection ends the wait at once: false (look at the tables), not an exception.
        Assert.False(await waitingThroughRestart.WaitAsync(Deadline));

        // Each call may fail once with a clear error while the pool finds its connections dead.
        Assert.Equal(2, (await EventuallyAsync(() => store.ListQueuedAsync("r1").AsTask())).Count);
        await EventuallyAsync(() => store.WriteAsync([Enqueue("r1", "t9")]).AsTask().ContinueWith(t => t.IsCompletedSuccessfully ? 0 : throw t.Exception!.InnerException!));
        var claimed = await EventuallyAsync(() => store.ClaimAsync("w", ["default"], 10, TimeSpan.FromMinutes(1)).AsTask());
        Assert.Equal(3, claimed.Count);
        Assert.True(leader.Lost.IsCancellationRequested || await WaitAsync(leader.Lost), "leadership Lost did not fire after the restart");
        await using var again = await EventuallyAsync(() => raiser.TryLeadAsync().AsTask());
        Assert.NotNull(again);

        // The listener is back: a signal from the other instance wakes a waiter again.
        await store.WhenListeningAsync().WaitAsync(Deadline);
        var waiting = store.WaitForSignalAsync(ClusterSignal.TasksCompleted, Deadline).AsTask();
        await EventuallyAsync(() => raiser.SignalAsync(ClusterSignal.TasksCompleted).AsTask().ContinueWith(t => t.IsCompletedSuccessfully ? 0 : throw t.Exception!.InnerException!));
        Assert.True(await waiting);
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> call)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (WeftStoreException e) when (DateTime.UtcNow < until)
            {
                Assert.DoesNotContain("   at ", e.Message);
                await Task.Delay(100);
            }
        }
    }

    private static async Task<bool> WaitAsync(CancellationToken token)
    {
        try
        {
            await Task.Delay(Deadline, token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }
}

/// <summary>Tests that restart the server run alone: no other test class runs in parallel with them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RestartCollection
{
    public const string Name = "PostgreSQL restart";
}
