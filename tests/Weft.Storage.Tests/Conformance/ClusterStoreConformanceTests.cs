using Weft.Cluster;
using Weft.Definitions;
using Weft.Execution;
using static Weft.Storage.Tests.Samples;

namespace Weft.Storage.Tests.Conformance;

/// <summary>The cluster store contract (IClusterStore beyond IWeftStore), run against every
/// implementation. A subclass says how to create a fresh, empty store and how to open a second
/// handle on the same data, as another process would (its own connections and signal listener).
/// No test waits for the clock: expiry uses a zero lease, timeouts are zero or are cut short by the
/// signal under test.</summary>
public abstract class ClusterStoreConformanceTests : IAsyncLifetime
{
    /// <summary>Bounds waits for a signal that should arrive at once, so a missing one fails instead of hanging.</summary>
    private static readonly TimeSpan SignalArrives = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan LongLease = TimeSpan.FromHours(1);

    private readonly List<IClusterStore> _opened = [];

    /// <summary>A new, empty store.</summary>
    protected abstract Task<IClusterStore> CreateStoreAsync();

    /// <summary>Another handle on <paramref name="store"/>'s data, as a second process would open it.</summary>
    protected abstract Task<IClusterStore> CreatePeerAsync(IClusterStore store);

    protected IClusterStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = Track(await CreateStoreAsync());

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }
    }

    protected IClusterStore Track(IClusterStore store)
    {
        _opened.Add(store);
        return store;
    }

    private async Task<IClusterStore> PeerAsync() => Track(await CreatePeerAsync(Store));

    [Fact]
    public void IsDurable_True_SoTheSchedulerJournalsQueueRowsWithTaskStates() => Assert.True(Store.IsDurable);

    [Fact]
    public async Task Claim_ReturnsOldestFirst_AtMostMax_AndLeasesThemToTheWorker()
    {
        await Store.CreateRunAsync(Run("r1", T0));
        await Store.WriteAsync([Enqueue("r1", "a"), Enqueue("r1", "b"), Enqueue("r1", "c")]);

        var first = await Store.ClaimAsync("w1", ["default"], 2, LongLease);
        var second = await Store.ClaimAsync("w2", ["default"], 5, LongLease);
        var third = await Store.ClaimAsync("w2", ["default"], 5, LongLease);

        Assert.Equal(["a", "b"], first.Select(t => t.TaskId));
        Assert.True(first[0].Id < first[1].Id);
        Assert.All(first, t => Assert.Equal("w1", t.Worker));
        Assert.Equal(["c"], second.Select(t => t.TaskId));
        Assert.True(second[0].Id > first[1].Id);
        Assert.Empty(third);
    }

    [Fact]
    public async Task Claim_CarriesRunAttemptQueuePayloadAndDefinitionHash()
    {
        await Store.CreateRunAsync(Run("r1", T0));
        await Store.WriteAsync([Enqueue("r1", "b", queue: "gpu", attempt: 3, payload: "{\"values\":{}}")]);

        var task = Assert.Single(await Store.ClaimAsync("w1", ["gpu"], 10, LongLease));

        Assert.Equal("r1", task.RunId);
        Assert.Equal("b", task.TaskId);
        Assert.Equal(3, task.Attempt);
        Assert.Equal("gpu", task.Queue);
        Assert.Equal("{\"values\":{}}", task.Payload);
        Assert.Equal(DefinitionJson.Hash(Flow()), task.DefinitionHash);
    }

    [Fact]
    public async Task Enqueue_WithoutQueue_GoesToTheDefaultQueue()
    {
        await Store.CreateRunAsync(Run("r1", T0));
        await Store.WriteAsync([Enqueue("r1", "a", queue: null)]);

        var task = Assert.Single(await Store.ClaimAsync("w1", ["default"], 10, LongLease));

        Assert.Equal("default", task.Queue);
        Assert.Null(task.Payload);
    }

    [Fact]
    public async Task Claim_OnlyFromTheGivenQueues()
    {
        await Store.CreateRunAsync(Run("r1", T0));
        await Store.WriteAsync([Enqueue("r1", "a", queue: "gpu"), Enqueue("r1", "b", queue: "default"), Enqueue("r1", "c", queue: "io")]);

        var gpuOnly = await Store.ClaimAsync("w1", ["gpu"], 10, LongLease);
        var other = await Store.ClaimAsync("w2", ["io", "default"], 10, LongLease);
        var none = await Store.ClaimAsync("w3", ["nothing-here"], 10, LongLease);

        Assert.Equal(["a"], gpuOnly.Select(t => t.TaskId));
        Assert.Equal(["b", "c"], other.Select(t => t.TaskId));
        Assert.Empty(none);
    }

    [Fact]
    public async Task Claim_FromSeveralQueues_TakesTheOldestRowsAcrossThem_UpToItsSize()
    {
        await Store.CreateRunAsync(Run("r1", T0));
        await Store.WriteAsync([Enqueue("r1", "a1", queue: "io"), Enqueue("r1", "b1", queue: "default"), Enqueue("r1", "a2", queue: "io"),
            Enqueue("r1", "b2", queue: "default"), Enqueue("r1", "a3", queue: "io")]);

        var first = await Store.ClaimAsync("w1", ["default", "io"], 3, LongLease);
        var rest = await Store.ClaimAsync("w1", ["default", "io"], 3, LongLease);

        Assert.Equal(["a1", "b1", "a2"], first.Select(t => t.TaskId));
        Assert.Equal(["b2", "a3"], rest.Select(t => t.TaskId));
    }

    [Fact]
    public async Task Claim_ManyWorkersInTwoProcessesAtOnce_NeverClaimTheSameRowTwice()
    {
        var peer = await PeerAsync();
        await Store.CreateRunAsync(Run("r1", T0));
        const int Rows = 200;
        await Store.WriteAsync([.. Enumerable.Range(1, Rows).Select(i => Enqueue("r1", "a", attempt: i))]);

        var claimers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            var handle = w % 2 == 0 ? Store : peer;
            var mine = new List<long>();
            while (true)
            {
                var batch = await handle.ClaimAsync($"w{w}", ["default"], 7, LongLease);
                if (batch.Count == 0)
                {
                    return mine;
                }

                mine.AddRange(batch.Select(t => t.Id));
            }
        })).ToList();
        var all = (await Task.WhenAll(claimers)).SelectMany(ids => ids).ToList();

        Assert.Equal(Rows, all.Count);
        Assert.Equal(Rows, all.Distinct().Count());
    }

    [Fact]
    public async Task GetDefinition_ByTheHashOfAQueuedRow_ReturnsTheRunsDefinition_UnknownIsNull()
    {
        var definition = Rich();
        await Store.CreateRunAsync(Run("r1", T0, definition));
        await Store.WriteAsync([Enqueue("r1", "sh")]);
        var task = Assert.Single(await Store.ClaimAsync("w1", ["default"], 1, LongLease));
        var peer = await PeerAsync();

        var stored = await peer.GetDefinitionAsync(task.DefinitionHash);

        Assert.NotNull(stored);
        Assert.Equal(DefinitionJson.Write(definition), DefinitionJson.Write(stored));
        Assert.Null(await Store.GetDefinitionAsync(new string('0', 64)));
    }

    [Fact]
    public async Task Lease_NotRenewed_TaskIsReadAsLost_UntilCompletedOrDequeued()
    {
        await Store.CreateRunAsync(Run("r1", T0));
        await Store.WriteAsync([Enqueue("r1", "a"), Enqueue("r1", "b"), Enqueue("r1", "c")]);
        var expired = await Store.ClaimAsync("dead", ["default"], 2, TimeSpan.Zero);
        var alive = Assert.Single(await Store.ClaimAsync("alive", ["default"], 1, LongLease));

        var lost = await Store.ReadLostTasksAsync(10);
        var limited = await Store.ReadLostTasksAsync(1);
        await Store.CompleteAsync([Completion(expired[0], "dead", TaskOutcome.Succeeded("late"))]);
        await Store.WriteAsync([Dequeue("r1", expired[1].Id)]);
        var after = await Store.ReadLostTasksAsync(10);

        Assert.Equal(expired.Select(t => t.Id), lost.Select(t => t.Id).Order());
        Assert.All(lost, t => Assert.Equal("dead", t.Worker));
        Assert.Equal(["a", "b"], lost.Select(t => t.TaskId).Order());
        Assert.Equal(1, lost[0].Attempt);
        Assert.Equal("r1", lost[0].RunId);
        Assert.DoesNotContain(alive.Id, lost.Select(t => t.Id));
        Assert.Single(limited);
        Assert.Empty(after);
    }

    [Fact]
    public async Task LostTasks_OfOneWorkerDeath_ShareItsLeaseEnd_SoTheDeathCountsOnce()
    {
        await Store.CreateRunAsync(Run("r1", T0));
        await Store.WriteAsync([Enqueue("r1", "a"), Enqueue("r1", "b"), Enqueue("r1", "c")]);
        await Store.RegisterWorkerAsync(new WorkerInfo { Name = "dead", Slots = 3 });
        await Store.ClaimAsync("dead", ["default"], 3, TimeSpan.Zero);
        await Store.HeartbeatAsync("dead", TimeSpan.Zero);

        var lost = await Store.ReadLostTasksAsync(10);

        Assert.Equal(3, lost.Count);
        Assert.NotNull(lost[0].WorkerLeaseUntil);
        Assert.Single(lost.Select(t => (t.Worker, t.WorkerLeaseUntil)).Distinct());
    }

    [Fact]
    public async Task Release_GivesBackOnlyRowsTheWorkerHoldsWithoutOutcome_AsTheSameAttempt()
    {
        await Store.CreateRunAsync(Run("r1", T0));
        await Store.WriteAsync([Enqueue("r1", "a"), Enqueue("r1", "b"), Enqueue("r1", "c")]);
        var mine = await Store.ClaimAsync("w1", ["default"], 2, LongLease);
        var theirs = Assert.Single(await Store.ClaimAsync("w2", ["default"], 1, LongLease));
        await Store.CompleteAsync([Completion(mine[1], "w1", TaskOutcome.Succeeded("done"))]);

        var released = await Store.ReleaseAsync("w1", [mine[0].Id, mine[1].Id, theirs.Id]);
        var again = Assert.Single(await Store.ClaimAsync("w3", ["default"], 5, LongLease));

        Assert.Equal([mine[0].Id], released);
        Assert.Equal(mine[0].Id, again.Id);
        Assert.Equal(1, again.Attempt);
        Assert.Empty(await Store.ReadLostTasksAsync(10));
    }

    [Fact]
    public async Task Heartbeat_RenewsTheLeaseOfEveryTaskTheWorkerHolds()
    {
        await Store.CreateRunAsync(Run("r1", T0));
        await Store.WriteAsync([Enqueue("r1", "a"), Enqueue("r1", "b")]);
        await Store.ClaimAsync("w1", ["default"], 1, TimeSpan.Zero);
        await Store.ClaimAsync("w2", ["default"], 1, TimeSpan.Zero);

        var cancelled = await Store.HeartbeatAsync("w1", LongLease);
        var lost = await Store.ReadLostTasksAsync(10);

        Assert.Empty(cancelled);
        Assert.Equal(["w2"], lost.Select(t => t.Worker));
    }

    [Fact]
    public async Task Heartbeat_AfterCancelQueued_ReturnsTheWorkersRowsOfTheCancelledRunOnly()
    {
        await Store.CreateRunAsync(Run("r1", T0));
        await Store.CreateRunAsync(Run("r2", T0));
        await Store.WriteAsync([Enqueue("r1", "a"), Enqueue("r1", "b"), Enqueue("r2", "a"), Enqueue("r1", "c")]);
        var mine = await Store.ClaimAsync("w1", ["default"], 3, LongLease);
        var theirs = await Store.ClaimAsync("w2", ["default"], 3, LongLease);

        var before = await Store.HeartbeatAsync("w1", LongLease);
        await Store.WriteAsync([new StoreChange { Kind = StoreChangeKind.CancelQueued, RunId = "r1" }]);
        var afterMine = await Store.HeartbeatAsync("w1", LongLease);
        var afterTheirs = await Store.HeartbeatAsync("w2", LongLease);

        Assert.Empty(before);
        Assert.Equal(mine.Where(t => t.RunId == "r1").Select(t => t.Id).Order(), afterMine.Order());
        Assert.Equal(theirs.Select(t => t.Id), afterTheirs);
    }

    [Fact]
    public async Task Complete_ThenReadCompletions_OldestCompletionFirst_WithTheOutcome()
    {
        await Store.CreateRunAsync(Run("r1", T0));
        await Store.WriteAsync([Enqueue("r1", "a"), Enqueue("r1", "b"), Enqueue("r1", "c")]);
        var tasks = await Store.ClaimAsync("w1", ["default"], 3, LongLease);
        var failed = new TaskOutcome(TaskOutcomeStatus.Failed) { Error = "exit code 3", ExitCode = 3, Stderr = "oops", Output = "partial", OutputTruncated = true };

        await Store.CompleteAsync([Completion(tasks[2], "w1", failed)]);
        await Store.CompleteAsync([Completion(tasks[0], "w1", TaskOutcome.Succeeded("out a")), Completion(tasks[1], "w1", new TaskOutcome(TaskOutcomeStatus.Failed) { HttpStatus = 503, Error = "http 503" })]);
        var all = await Store.ReadCompletionsAsync(10);
        var two = await Store.ReadCompletionsAsync(2);

        Assert.Equal(["c", "a", "b"], all.Select(c => c.TaskId));
        Assert.Equal(["c", "a"], two.Select(c => c.TaskId));
        var c = all[0];
        Assert.Equal(tasks[2].Id, c.Id);
        Assert.Equal("r1", c.RunId);
        Assert.Equal(1, c.Attempt);
        Assert.Equal("w1", c.Worker);
        Assert.Equal(T0.AddSeconds(1), c.StartedAt);
        Assert.Equal(T0.AddSeconds(2), c.FinishedAt);
        Assert.Equal(TaskOutcomeStatus.Failed, c.Outcome.Status);
        Assert.Equal("exit code 3", c.Outcome.Error);
        Assert.Equal(3, c.Outcome.ExitCode);
        Assert.Equal("oops", c.Outcome.Stderr);
        Assert.Equal("partial", c.Outcome.Output);
        Assert.True(c.Outcome.OutputTruncated);
        Assert.Equal("out a", all[1].Outcome.Output);
        Assert.Equal(TaskOutcomeStatus.Succeeded, all[1].Outcome.Status);
        Assert.Equal(503, all[2].Outcome.HttpStatus);
    }

    [Fact]
    public async Task ReadCompletionsExcept_LeavesOutTheRowsTakenAlready_AndStillReadsUpToMax()
    {
        await Store.CreateRunAsync(Run("r1", T0));
        await Store.WriteAsync([Enqueue("r1", "a"), Enqueue("r1", "b"), Enqueue("r1", "c"), Enqueue("r1", "d")]);
        var tasks = await Store.ClaimAsync("w1", ["default"], 4, LongLease);
        await Store.CompleteAsync([.. tasks.Select(t => Completion(t, "w1", TaskOutcome.Succeeded("out " + t.TaskId)))]);
        var taken = tasks.Where(t => t.TaskId is "a" or "c").Select(t => t.Id).ToArray();

        var rest = await Store.ReadCompletionsExceptAsync(10, taken, CancellationToken.None);
        var one = await Store.ReadCompletionsExceptAsync(1, taken, CancellationToken.None);
        var none = await Store.ReadCompletionsExceptAsync(10, [], CancellationToken.None);

        Assert.Equal(["b", "d"], rest.Select(c => c.TaskId).Order(StringComparer.Ordinal));
        Assert.Equal("out b", rest.Single(c => c.TaskId == "b").Outcome.Output);
        Assert.Single(one);
        Assert.DoesNotContain(one[0].Id, taken);
        Assert.Equal(4, none.Count);
    }

    [Fact]
    public async Task Complete_RowNoLongerHeld_IsIgnored()
    {
        await Store.CreateRunAsync(Run("r1", T0));
        await Store.WriteAsync([Enqueue("r1", "a"), Enqueue("r1", "b")]);
        var taken = Assert.Single(await Store.ClaimAsync("slow", ["default"], 1, TimeSpan.Zero));
        var other = Assert.Single(await Store.ClaimAsync("w2", ["default"], 1, LongLease));

        // The scheduler took the lost row back; then the slow worker reports it, and something it never held.
        await Store.WriteAsync([Dequeue("r1", taken.Id)]);
        await Store.CompleteAsync([Completion(taken, "slow", TaskOutcome.Succeeded("too late")), Completion(other, "slow", TaskOutcome.Succeeded("not mine"))]);

        Assert.Empty(await Store.ReadCompletionsAsync(10));
        Assert.Equal(["w2"], (await Store.ListQueuedAsync("r1")).Select(t => t.Worker));
    }

    [Fact]
    public async Task Dequeue_RemovesTheRow_AndItsCompletion()
    {
        await Store.CreateRunAsync(Run("r1", T0));
        await Store.WriteAsync([Enqueue("r1", "a"), Enqueue("r1", "b")]);
        var tasks = await Store.ClaimAsync("w1", ["default"], 2, LongLease);
        await Store.CompleteAsync([Completion(tasks[0], "w1", TaskOutcome.Success)]);

        await Store.WriteAsync([Dequeue("r1", tasks[0].Id), TaskChange("r1", "a", TaskState.Succeeded)]);

        Assert.Empty(await Store.ReadCompletionsAsync(10));
        Assert.Equal([tasks[1].Id], (await Store.ListQueuedAsync("r1")).Select(t => t.Id));
        Assert.Equal(TaskState.Succeeded, (await Store.GetRunAsync("r1"))!.Tasks[0].State);
    }

    [Fact]
    public async Task ListQueued_EveryRowOfTheRun_ClaimedOrNot_CompletedOrNot()
    {
        await Store.CreateRunAsync(Run("r1", T0));
        await Store.CreateRunAsync(Run("r2", T0));
        await Store.WriteAsync([Enqueue("r1", "a"), Enqueue("r2", "a"), Enqueue("r1", "b"), Enqueue("r1", "c")]);
        var claimed = await Store.ClaimAsync("w1", ["default"], 2, LongLease);
        await Store.CompleteAsync([Completion(claimed[0], "w1", TaskOutcome.Success)]);

        var rows = await (await PeerAsync()).ListQueuedAsync("r1");

        Assert.Equal(["a", "b", "c"], rows.Select(t => t.TaskId));
        Assert.Equal(["w1", null, null], rows.Select(t => t.Worker));
        Assert.All(rows, t => Assert.Equal("r1", t.RunId));
        Assert.Empty(await Store.ListQueuedAsync("unknown"));
    }

    [Fact]
    public async Task Workers_RegisterListUnregister()
    {
        var started = DateTimeOffset.UtcNow;
        await Store.RegisterWorkerAsync(new WorkerInfo { Name = "w1", Host = "box1", ProcessId = 41, Queues = ["default", "gpu"], Tags = ["gpu"], Slots = 8, StartedAt = started });
        await Store.RegisterWorkerAsync(new WorkerInfo { Name = "w2", Host = "box2", ProcessId = 42, Slots = 2, StartedAt = started });

        var listed = await (await PeerAsync()).ListWorkersAsync();
        await Store.UnregisterWorkerAsync("w1");
        var after = await Store.ListWorkersAsync();
        await Store.RegisterWorkerAsync(new WorkerInfo { Name = "w1", Slots = 4, StartedAt = started });
        var again = await Store.ListWorkersAsync();

        Assert.Equal(["w1", "w2"], listed.Select(w => w.Name).Order());
        Assert.Equal(listed.OrderByDescending(w => w.HeartbeatAt).Select(w => w.Name), listed.Select(w => w.Name));
        var w1 = listed.Single(w => w.Name == "w1");
        Assert.Equal("box1", w1.Host);
        Assert.Equal(41, w1.ProcessId);
        Assert.Equal(["default", "gpu"], w1.Queues);
        Assert.Equal(["gpu"], w1.Tags);
        Assert.Equal(8, w1.Slots);
        Assert.Equal(started.ToUnixTimeMilliseconds(), w1.StartedAt.ToUnixTimeMilliseconds());
        Assert.NotNull(w1.HeartbeatAt);
        Assert.False(w1.Stopped);
        Assert.True(after.Single(w => w.Name == "w1").Stopped);
        Assert.False(after.Single(w => w.Name == "w2").Stopped);
        Assert.Equal(2, again.Count);
        Assert.False(again.Single(w => w.Name == "w1").Stopped);
        Assert.Equal(4, again.Single(w => w.Name == "w1").Slots);
    }

    [Fact]
    public async Task Workers_LeaseRanOut_IsListedAsLost_AsTheSchedulerJudgesIt()
    {
        await Store.RegisterWorkerAsync(new WorkerInfo { Name = "dead", Slots = 1 });
        await Store.RegisterWorkerAsync(new WorkerInfo { Name = "alive", Slots = 1 });
        await Store.RegisterWorkerAsync(new WorkerInfo { Name = "new", Slots = 1 });
        await Store.RegisterWorkerAsync(new WorkerInfo { Name = "stopped", Slots = 1 });
        await Store.HeartbeatAsync("dead", TimeSpan.Zero);
        await Store.HeartbeatAsync("alive", LongLease);
        await Store.HeartbeatAsync("stopped", TimeSpan.Zero);
        await Store.UnregisterWorkerAsync("stopped");

        var listed = (await (await PeerAsync()).ListWorkersAsync()).ToDictionary(w => w.Name);

        Assert.True(listed["dead"].Lost);
        Assert.NotNull(listed["dead"].LeaseUntil);
        Assert.False(listed["alive"].Lost);
        Assert.True(listed["alive"].LeaseUntil > DateTimeOffset.UtcNow.AddMinutes(30));
        Assert.False(listed["new"].Lost);
        Assert.False(listed["stopped"].Lost);
        Assert.True(listed["stopped"].Stopped);
    }

    [Fact]
    public async Task Workers_LostThenRegisteredAgain_IsNotLost()
    {
        await Store.RegisterWorkerAsync(new WorkerInfo { Name = "w1", Slots = 1 });
        await Store.HeartbeatAsync("w1", TimeSpan.Zero);
        var before = Assert.Single(await Store.ListWorkersAsync());

        await Store.RegisterWorkerAsync(new WorkerInfo { Name = "w1", Slots = 1 });

        Assert.True(before.Lost);
        Assert.False(Assert.Single(await Store.ListWorkersAsync()).Lost);
    }

    [Fact]
    public async Task Heartbeat_RefreshesTheWorkersHeartbeat()
    {
        await Store.RegisterWorkerAsync(new WorkerInfo { Name = "w1", Slots = 1 });
        var registered = Assert.Single(await Store.ListWorkersAsync()).HeartbeatAt;

        await Store.HeartbeatAsync("w1", LongLease);

        Assert.True(Assert.Single(await Store.ListWorkersAsync()).HeartbeatAt >= registered);
    }

    [Fact]
    public async Task Leadership_OneHolderAtATime_ReleasedWhenDisposed()
    {
        var peer = await PeerAsync();

        var first = await Store.TryLeadAsync();
        var blocked = await peer.TryLeadAsync();
        Assert.NotNull(first);
        Assert.Null(blocked);
        Assert.False(first.Lost.IsCancellationRequested);

        await first.DisposeAsync();
        var second = await peer.TryLeadAsync();
        var blockedNow = await Store.TryLeadAsync();

        Assert.NotNull(second);
        Assert.Null(blockedNow);
        await second.DisposeAsync();
    }

    [Fact]
    public async Task Leadership_HoldersStoreClosed_AnotherProcessCanLead()
    {
        var holder = await PeerAsync();
        var lead = await holder.TryLeadAsync();
        Assert.NotNull(lead);

        await holder.DisposeAsync();
        var next = await Store.TryLeadAsync();

        Assert.NotNull(next);
        await next.DisposeAsync();
    }

    [Fact]
    public async Task Enqueue_RaisesTasksQueued_ForAWaiterInAnotherProcess()
    {
        var worker = await PeerAsync();
        await Store.CreateRunAsync(Run("r1", T0));
        await ListenAsync(worker);

        var waiting = worker.WaitForSignalAsync(ClusterSignal.TasksQueued, SignalArrives).AsTask();
        await Store.WriteAsync([Enqueue("r1", "a")]);

        Assert.True(await waiting);
    }

    [Fact]
    public async Task CreateRun_RaisesRunSubmitted()
    {
        var scheduler = await PeerAsync();
        await ListenAsync(scheduler);

        var waiting = scheduler.WaitForSignalAsync(ClusterSignal.RunSubmitted, SignalArrives).AsTask();
        await Store.CreateRunAsync(Run("r1", T0));

        Assert.True(await waiting);
    }

    [Fact]
    public async Task Complete_RaisesTasksCompleted_AndAFinalRunRaisesRunFinished()
    {
        var other = await PeerAsync();
        await Store.CreateRunAsync(Run("r1", T0));
        await Store.WriteAsync([Enqueue("r1", "a")]);
        var task = Assert.Single(await Store.ClaimAsync("w1", ["default"], 1, LongLease));
        await ListenAsync(other);

        await Store.CompleteAsync([Completion(task, "w1", TaskOutcome.Success)]);
        var completed = await other.WaitForSignalAsync(ClusterSignal.TasksCompleted, SignalArrives);
        await Store.WriteAsync([Dequeue("r1", task.Id), Finished("r1", RunState.Succeeded, T0.AddMinutes(5))]);
        var finished = await other.WaitForSignalAsync(ClusterSignal.RunFinished, SignalArrives);

        Assert.True(completed);
        Assert.True(finished);
    }

    [Fact]
    public async Task Signals_RaisedWhileNobodyWaited_AreCoalescedIntoOne()
    {
        var other = await PeerAsync();
        await ListenAsync(other);

        await Store.SignalAsync(ClusterSignal.TasksQueued);
        await Store.SignalAsync(ClusterSignal.TasksQueued);
        await Store.SignalAsync(ClusterSignal.TasksQueued);
        var first = await other.WaitForSignalAsync(ClusterSignal.TasksQueued, SignalArrives);
        var more = 0;
        while (await other.WaitForSignalAsync(ClusterSignal.TasksQueued, TimeSpan.Zero))
        {
            more++;
        }

        Assert.True(first);
        if (DeliversSignalsSynchronously)
        {
            Assert.Equal(0, more);
        }
        else
        {
            // Delivered as they arrive: those that came before a wait are one; never more than were raised.
            Assert.InRange(more, 0, 2);
        }
    }

    /// <summary>True when a raised signal has reached every listener by the time SignalAsync returns (in
    /// process); false when it travels (PostgreSQL NOTIFY), so separate signals may arrive apart.</summary>
    protected virtual bool DeliversSignalsSynchronously => true;

    [Fact]
    public async Task Wait_ForOtherSignals_IsNotWoken_AndTimesOutFalse()
    {
        var other = await PeerAsync();
        await ListenAsync(other);

        await Store.SignalAsync(ClusterSignal.TasksCompleted);
        var queued = await other.WaitForSignalAsync(ClusterSignal.TasksQueued, TimeSpan.Zero);
        var completed = await other.WaitForSignalAsync(ClusterSignal.TasksCompleted | ClusterSignal.RunFinished, SignalArrives);

        Assert.False(queued);
        Assert.True(completed);
    }

    [Fact]
    public async Task Signal_ReachesEveryListeningProcess()
    {
        var a = await PeerAsync();
        var b = await PeerAsync();
        await ListenAsync(a);
        await ListenAsync(b);

        var waitA = a.WaitForSignalAsync(ClusterSignal.RunSubmitted, SignalArrives).AsTask();
        var waitB = b.WaitForSignalAsync(ClusterSignal.RunSubmitted, SignalArrives).AsTask();
        await Store.SignalAsync(ClusterSignal.RunSubmitted);
        var woken = await Task.WhenAll(waitA, waitB);

        Assert.All(woken, Assert.True);
    }

    /// <summary>Makes the handle listen (a first wait starts its listener) and drops what it heard so far.</summary>
    /// <summary>Makes sure <paramref name="store"/> listens for every signal from now on, with nothing pending.
    /// A store whose listener starts asynchronously (PostgreSQL) overrides this to wait until it is in effect.</summary>
    protected virtual async Task ListenAsync(IClusterStore store)
    {
        const ClusterSignal All = ClusterSignal.RunSubmitted | ClusterSignal.TasksQueued | ClusterSignal.TasksCompleted | ClusterSignal.RunFinished;
        while (await store.WaitForSignalAsync(All, TimeSpan.Zero))
        {
        }
    }

    private static StoreChange Enqueue(string runId, string taskId, string? queue = "default", int attempt = 1, string? payload = null) =>
        new() { Kind = StoreChangeKind.Enqueue, RunId = runId, TaskId = taskId, Attempt = attempt, Queue = queue, Payload = payload };

    private static StoreChange Dequeue(string runId, long queueId) =>
        new() { Kind = StoreChangeKind.Dequeue, RunId = runId, QueueId = queueId };

    private static TaskCompletion Completion(QueuedTask task, string worker, TaskOutcome outcome) => new()
    {
        Id = task.Id,
        RunId = task.RunId,
        TaskId = task.TaskId,
        Attempt = task.Attempt,
        Worker = worker,
        Outcome = outcome,
        StartedAt = T0.AddSeconds(1),
        FinishedAt = T0.AddSeconds(2),
    };
}
