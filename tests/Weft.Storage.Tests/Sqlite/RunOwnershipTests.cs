using Microsoft.Extensions.Time.Testing;
using Weft.Definitions;
using Weft.Sqlite;

namespace Weft.Storage.Tests.Sqlite;

/// <summary>Two engines (as two servers, or a server and `weft runs resume`) on one SQLite file: a run
/// live in one is never taken up by the other, so each task runs exactly once (issue #11 item 7: a
/// second server "resumed" the first one's live runs and ran every task again). Executions are
/// counted by the tasks themselves, appending to a file.</summary>
public sealed class RunOwnershipTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private readonly TempDatabase _db = new();
    private readonly string _log;
    private readonly string _gate;

    public RunOwnershipTests()
    {
        Directory.CreateDirectory(_db.Directory);
        _log = Path.Combine(_db.Directory, "executions.log");
        _gate = Path.Combine(_db.Directory, "gate");
    }

    public void Dispose() => _db.Dispose();

    // a → b → c; b waits for the gate file, so the run is live while the test looks at it.
    private WorkflowDefinition Flow() => new("counted",
    [
        new TaskDefinition("a", new ShellSpec($"echo a >> '{_log}'")),
        new TaskDefinition("b", new ShellSpec($"echo b >> '{_log}'; while [ ! -f '{_gate}' ]; do sleep 0.05; done")) { DependsOn = ["a"] },
        new TaskDefinition("c", new ShellSpec($"echo c >> '{_log}'")) { DependsOn = ["b"] },
    ]);

    private static WeftEngine Engine(IWeftStore store, TimeProvider? time = null) => WeftEngine.Create(o =>
    {
        o.Store = store;
        o.Workers = 2;
        o.Retention = null;
        if (time is not null)
        {
            o.TimeProvider = time;
        }
    });

    private string[] Executions() => File.Exists(_log) ? File.ReadAllLines(_log) : [];

    private async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Limit);
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    [Fact]
    public async Task ASecondEngineOnTheFile_LeavesTheLiveRunToItsOwner_EachTaskRunsOnce()
    {
        await using var storeA = await SqliteStore.OpenAsync(_db.Options());
        await using var storeB = await SqliteStore.OpenAsync(_db.Options());
        await using var first = Engine(storeA);
        var handle = await first.SubmitAsync(Flow());
        await WaitUntilAsync(() => Executions().Contains("b"));

        await using var second = Engine(storeB);
        var takeUp = await second.TakeUpOrphanedRunsAsync();
        var refused = await Assert.ThrowsAsync<WeftRunOwnedException>(async () => await second.ResumeAsync(handle.RunId));

        Assert.Empty(takeUp.TakenUp);
        Assert.Equal(first.OwnerName, takeUp.LeftToOwners[handle.RunId].Name);
        Assert.Equal(first.OwnerName, refused.Owner.Name);
        Assert.Contains($"weft process {Environment.ProcessId}", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<WeftRunOwnedException>(async () => await second.CancelStoredAsync(handle.RunId));
        File.WriteAllText(_gate, "");
        var done = await handle.WaitAsync().WaitAsync(Limit);
        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Equal(["a", "b", "c"], Executions());
        Assert.Empty(await second.FindUnfinishedRunsAsync());
    }

    [Fact]
    public async Task TheOwnersLease_IsRenewedWhileItRuns_AndTakenUpOnlyAfterItStopsRenewing()
    {
        var clock = new FakeTimeProvider(Samples.T0);
        await using var storeA = await SqliteStore.OpenAsync(_db.Options());
        await using var storeB = await SqliteStore.OpenAsync(_db.Options());
        var first = Engine(storeA, clock);
        var handle = await first.SubmitAsync(Flow());
        await WaitUntilAsync(() => Executions().Contains("b"));

        // Two minutes of renewals every 10 s: the lease (30 s) never ends.
        for (var i = 0; i < 12; i++)
        {
            clock.Advance(WeftEngine.RenewEvery);
            var expected = clock.GetUtcNow() + WeftEngine.LeaseFor;
            await WaitUntilAsync(() => LeaseOf(storeB, handle.RunId) >= expected);
        }

        await using var second = Engine(storeB, clock);
        Assert.Empty((await second.TakeUpOrphanedRunsAsync()).TakenUp);

        // The owner stops renewing (as if hung) without giving the run up: 30 s later it can be taken up.
        await first.StopRenewingForTestAsync();
        clock.Advance(WeftEngine.LeaseFor);
        File.WriteAllText(_gate, "");
        Assert.Equal([handle.RunId], (await second.TakeUpOrphanedRunsAsync()).TakenUp);
        await first.DisposeAsync();
    }

    private static DateTimeOffset LeaseOf(IWeftStore store, string runId) =>
        store.TakeRunAsync(runId, "probe", Samples.T0, Samples.T0).AsTask().GetAwaiter().GetResult()!.LeaseUntil;
}
