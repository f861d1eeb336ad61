using Weft.Cluster;
using Weft.Definitions;
using Weft.Execution;
using Weft.Tests.Scheduling;

namespace Weft.Tests.Cluster;

public sealed class ClusterWorkerTests : IAsyncLifetime
{
    private readonly WorkerHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static TaskDefinition Script(string id) => ScriptedHandler.Def(id);

    /// <summary>The task waits until <paramref name="release"/> completes (or its token fires), then succeeds.</summary>
    private void HoldUntil(string taskId, TaskCompletionSource release) => _h.Script.On(taskId, async inv =>
    {
        await release.Task.WaitAsync(inv.CancellationToken);
        return TaskOutcome.Succeeded($"{taskId} done");
    });

    [Fact]
    public async Task ClaimedTasks_RunWithTheirHandler_OutcomesAndOutputRecorded()
    {
        _h.Script.Outcomes("a", TaskOutcome.Succeeded("out-a"));
        _h.Script.Outcomes("b", TaskOutcome.Failed("exit code 3", exitCode: 3));
        await _h.StartAsync();

        var runId = await _h.QueueAsync([Script("a"), Script("b"), new TaskDefinition("n", NoopSpec.Instance)]);
        var done = await _h.CompletionsAsync(3);

        Assert.Equal(TaskOutcomeStatus.Succeeded, done["a"].Outcome.Status);
        Assert.Equal("out-a", done["a"].Outcome.Output);
        Assert.Equal(TaskOutcomeStatus.Failed, done["b"].Outcome.Status);
        Assert.Equal(3, done["b"].Outcome.ExitCode);
        Assert.Equal(TaskOutcomeStatus.Succeeded, done["n"].Outcome.Status);
        Assert.All(done.Values, c =>
        {
            Assert.Equal(runId, c.RunId);
            Assert.Equal("w1", c.Worker);
            Assert.Equal(1, c.Attempt);
            Assert.Equal(_h.Clock.GetUtcNow(), c.StartedAt);
        });
        await EngineHarness.WaitUntilAsync(() => _h.Worker.Stats.Completed == 3);
        var stats = _h.Worker.Stats;
        Assert.Equal(3, stats.Claimed);
        Assert.Equal(0, stats.Running);
        Assert.NotNull(stats.FirstClaimAfter);
    }

    [Fact]
    public async Task BuiltInKinds_RunOnTheWorker_AndTheDefinitionIsFetchedOncePerHash()
    {
        await _h.StartAsync(o => o.Slots = 1);

        await _h.QueueAsync([new TaskDefinition("echo", new ShellSpec("echo hi")), new TaskDefinition("n1", NoopSpec.Instance), new TaskDefinition("n2", NoopSpec.Instance)]);
        var done = await _h.CompletionsAsync(3);

        Assert.Equal(TaskOutcomeStatus.Succeeded, done["echo"].Outcome.Status);
        Assert.Equal("hi", done["echo"].Outcome.Output);
        Assert.Equal(1, _h.Store.Calls("GetDefinition"));
    }

    [Fact]
    public async Task Start_RegistersTheWorker_WithItsQueuesTagsAndSlots()
    {
        await _h.StartAsync(o =>
        {
            o.Slots = 3;
            o.Queues.Add("gpu");
            o.Tags.Add("cuda");
        });

        var worker = Assert.Single(await _h.Store.ListWorkersAsync());

        Assert.Equal("w1", worker.Name);
        Assert.Equal(3, worker.Slots);
        Assert.Equal(["default", "gpu"], worker.Queues);
        Assert.Equal(["cuda"], worker.Tags);
        Assert.False(worker.Stopped);
    }

    [Fact]
    public async Task NeverRunsMoreTasksThanSlots()
    {
        var release = new TaskCompletionSource();
        var ids = Enumerable.Range(1, 7).Select(i => $"t{i}").ToList();
        ids.ForEach(id => HoldUntil(id, release));
        await _h.StartAsync(o =>
        {
            o.Slots = 2;
            o.Prefetch = 0;
        });

        var runId = await _h.QueueAsync([.. ids.Select(Script)]);
        await EngineHarness.WaitUntilAsync(() => _h.Script.StartOrder.Count == 2);
        var claimed = (await _h.Store.ListQueuedAsync(runId)).Count(t => t.Worker is not null);
        release.SetResult();
        var done = await _h.CompletionsAsync(7);

        Assert.Equal(2, claimed);
        Assert.Equal(7, done.Count);
        Assert.Equal(2, _h.Script.MaxConcurrent);
    }

    [Fact]
    public async Task ClaimsAheadUpToThePrefetchButStillRunsOnlyAsManyAsItHasSlots()
    {
        var release = new TaskCompletionSource();
        var ids = Enumerable.Range(1, 9).Select(i => $"t{i}").ToList();
        ids.ForEach(id => HoldUntil(id, release));
        await _h.StartAsync(o =>
        {
            o.Slots = 2;
            o.Prefetch = 4;
        });

        // Claiming ahead is for short tasks: the worker first sees some (instant on the fake clock).
        await _h.QueueAsync([Script("quick1"), Script("quick2")]);
        await _h.CompletionsAsync(2);
        var runId = await _h.QueueAsync([.. ids.Select(Script)]);
        // Claimed rows and started handlers are seen at different moments: wait for both.
        await EngineHarness.WaitUntilAsync(async () => _h.Script.StartOrder.Count == 4
            && (await _h.Store.ListQueuedAsync(runId)).Count(t => t.Worker is not null) == 6);
        Assert.Equal(4, _h.Script.StartOrder.Count);
        release.SetResult();
        var done = await _h.CompletionsAsync(11);

        Assert.Equal(11, done.Count);
        Assert.Equal(2, _h.Script.MaxConcurrent);
    }

    [Fact]
    public async Task BeforeItsFirstTaskEnds_AndAfterLongTasks_ClaimsOnlyForFreeSlots()
    {
        var first = new TaskCompletionSource();
        var second = new TaskCompletionSource();
        HoldUntil("a1", first);
        HoldUntil("a2", first);
        var ids = Enumerable.Range(1, 9).Select(i => $"t{i}").ToList();
        ids.ForEach(id => HoldUntil(id, second));
        await _h.StartAsync(o =>
        {
            o.Slots = 2;
            o.Prefetch = 4;
        });

        // Nothing learned yet: no claiming ahead (another worker may be idle).
        var cold = await _h.QueueAsync([Script("a1"), Script("a2"), Script("a3")]);
        await EngineHarness.WaitUntilAsync(() => _h.Script.StartOrder.Count == 2);
        var heldCold = (await _h.Store.ListQueuedAsync(cold)).Count(t => t.Worker is not null);
        _h.Clock.Advance(TimeSpan.FromSeconds(2)); // the tasks took 2 s: far longer than PrefetchWithin
        first.SetResult();
        await _h.CompletionsAsync(3);

        var warm = await _h.QueueAsync([.. ids.Select(Script)]);
        await EngineHarness.WaitUntilAsync(() => _h.Script.StartOrder.Count == 5);
        var heldWarm = (await _h.Store.ListQueuedAsync(warm)).Count(t => t.Worker is not null);
        second.SetResult();
        await _h.CompletionsAsync(12);

        Assert.Equal(2, heldCold);
        Assert.Equal(2, heldWarm);
    }

    [Fact]
    public async Task ClaimsOnlyFromItsQueues()
    {
        await _h.StartAsync(o =>
        {
            o.Queues.Clear();
            o.Queues.Add("gpu");
        });

        var runId = await _h.QueueAsync([Script("cpu-task"), Script("gpu-task")], queueOf: id => id == "gpu-task" ? "gpu" : "default");
        var done = await _h.CompletionsAsync(1);

        Assert.Equal(["gpu-task"], done.Keys);
        var unclaimed = Assert.Single(await _h.Store.ListQueuedAsync(runId), t => t.Worker is null);
        Assert.Equal("cpu-task", unclaimed.TaskId);
    }

    [Fact]
    public async Task RendersTemplatesWithTheValuesInThePayload()
    {
        _h.Script.On("greet", inv => new(TaskOutcome.Succeeded(inv.Render("hello {{ params.name }} from {{ run.id }}"))));
        _h.Script.On("broken", inv => new(TaskOutcome.Succeeded(inv.Render("{{ tasks.a.output.missing }}"))));
        await _h.StartAsync();

        const string Payload = """{"values":{"params.name":"world","run.id":"r-42"},"errors":{"tasks.a.output.missing":"output of task 'a' has no field 'missing'"}}""";
        await _h.QueueAsync([Script("greet"), Script("broken")], payload: Payload);
        var done = await _h.CompletionsAsync(2);

        Assert.Equal("hello world from r-42", done["greet"].Outcome.Output);
        Assert.Equal(TaskOutcomeStatus.Failed, done["broken"].Outcome.Status);
        Assert.Equal("output of task 'a' has no field 'missing'", done["broken"].Outcome.Error);
    }

    [Fact]
    public async Task TaskTimeout_RecordsTimedOut()
    {
        _h.Script.BlockUntilCancelled("slow");
        await _h.StartAsync();

        await _h.QueueAsync([Script("slow") with { Timeout = TimeSpan.FromSeconds(10) }]);
        await EngineHarness.WaitUntilAsync(() => _h.Script.StartOrder.Count == 1);
        _h.Clock.Advance(TimeSpan.FromSeconds(10));
        var done = await _h.CompletionsAsync(1);

        Assert.Equal(TaskOutcomeStatus.TimedOut, done["slow"].Outcome.Status);
        Assert.Equal("timed out after 10s", done["slow"].Outcome.Error);
    }

    [Fact]
    public async Task UnknownKind_RecordsFailedNamingTheKind()
    {
        await _h.StartAsync();

        await _h.QueueAsync([new TaskDefinition("box", new CustomSpec("k8sJob", null))]);
        var done = await _h.CompletionsAsync(1);

        Assert.Equal(TaskOutcomeStatus.Failed, done["box"].Outcome.Status);
        Assert.Contains("no handler for kind 'k8sJob'", done["box"].Outcome.Error);
    }

    [Fact]
    public async Task Hooks_RunAroundEveryAttemptOnTheWorker_AsOnAnEmbeddedEngine()
    {
        var hook = new RecordingHook();
        _h.Script.Outcomes("a", TaskOutcome.Failed("exit code 3", exitCode: 3));
        await _h.StartAsync(o =>
        {
            o.Slots = 1;
            o.Hooks.Add(hook);
        });

        await _h.QueueAsync([Script("a"), new TaskDefinition("n", NoopSpec.Instance)]);
        await _h.CompletionsAsync(2);

        string[] calls = [.. hook.Calls];
        Assert.Equal(["after a Failed", "after n Succeeded", "before a", "before n"], calls.Order(StringComparer.Ordinal));
        Assert.True(Array.IndexOf(calls, "before a") < Array.IndexOf(calls, "after a Failed"), string.Join(", ", calls));
        Assert.True(Array.IndexOf(calls, "before n") < Array.IndexOf(calls, "after n Succeeded"), string.Join(", ", calls));
    }

    [Fact]
    public async Task BeforeHookThatThrows_FailsTheAttemptOnTheWorker_WithoutRunningTheHandler()
    {
        var ran = 0;
        _h.Script.On("a", _ =>
        {
            Interlocked.Increment(ref ran);
            return ValueTask.FromResult(TaskOutcome.Succeeded("ran"));
        });
        await _h.StartAsync(o => o.Hooks.Add(new ThrowingHook()));

        await _h.QueueAsync([Script("a")]);
        var done = await _h.CompletionsAsync(1);

        Assert.Equal(TaskOutcomeStatus.Failed, done["a"].Outcome.Status);
        Assert.Equal("before-hook failed: no entry", done["a"].Outcome.Error);
        Assert.Equal(0, ran);
    }

    [Fact]
    public async Task Heartbeats_KeepLeasesAlive_AndWhenTheyStopTheTasksAreLost()
    {
        _h.Script.BlockUntilCancelled("long");
        await _h.StartAsync(o =>
        {
            o.HeartbeatEvery = TimeSpan.FromSeconds(5);
            o.LeaseFor = TimeSpan.FromSeconds(30);
        });
        await _h.QueueAsync([Script("long")]);
        await EngineHarness.WaitUntilAsync(() => _h.Script.StartOrder.Count == 1);

        // Two lease lengths pass, a second at a time (the loop's timer is set when the test cannot see).
        var start = _h.Clock.GetUtcNow();
        while (_h.Clock.GetUtcNow() - start < TimeSpan.FromSeconds(60))
        {
            var beats = _h.Store.Calls("Heartbeat");
            await _h.AdvanceUntilAsync(() => Task.FromResult(_h.Store.Calls("Heartbeat") > beats), TimeSpan.FromSeconds(1));
        }

        var lostWhileBeating = await _h.Store.ReadLostTasksAsync(10);
        _h.Store.Fail("Heartbeat");
        _h.Clock.Advance(TimeSpan.FromSeconds(31));
        await EngineHarness.WaitUntilAsync(() => _h.Store.Failures("Heartbeat") >= 1);
        var lostAfter = await _h.Store.ReadLostTasksAsync(10);

        Assert.Empty(lostWhileBeating);
        Assert.Equal("long", Assert.Single(lostAfter).TaskId);
        Assert.Single(_h.Log, line => line.Contains("heartbeat: store unavailable", StringComparison.Ordinal));
        _h.Store.Heal();
    }

    [Fact]
    public async Task CancelQueued_StopsTheRunningTaskAtTheNextHeartbeat()
    {
        _h.Script.BlockUntilCancelled("victim");
        await _h.StartAsync();
        var runId = await _h.QueueAsync([Script("victim")]);
        await EngineHarness.WaitUntilAsync(() => _h.Script.StartOrder.Count == 1);

        await _h.Store.WriteAsync([new Storage.StoreChange { Kind = Storage.StoreChangeKind.CancelQueued, RunId = runId }]);
        await _h.AdvanceUntilAsync(async () => (await _h.Store.ReadCompletionsAsync(10)).Count == 1, TimeSpan.FromSeconds(1));
        var done = await _h.CompletionsAsync(1);

        Assert.Equal(TaskOutcomeStatus.Cancelled, done["victim"].Outcome.Status);
    }

    [Fact]
    public async Task Stop_DrainsRunningTasks_ThenInterruptsTheRest_AndUnregisters()
    {
        var release = new TaskCompletionSource();
        HoldUntil("quick", release);
        _h.Script.BlockUntilCancelled("stuck");
        await _h.StartAsync();
        var runId = await _h.QueueAsync([Script("quick"), Script("stuck")]);
        await EngineHarness.WaitUntilAsync(() => _h.Script.StartOrder.Count == 2);

        var stop = _h.Worker.StopAsync(TimeSpan.FromSeconds(10));
        await EngineHarness.WaitUntilAsync(() => _h.Log.Any(l => l.Contains("stopping", StringComparison.Ordinal)));
        release.SetResult();
        var first = await _h.CompletionsAsync(1);
        var stoppedEarly = stop.IsCompleted;
        await _h.QueueAsync([Script("after-stop")]);
        _h.Clock.Advance(TimeSpan.FromSeconds(10));
        await stop.WaitAsync(EngineHarness.HardLimit);
        var done = await _h.CompletionsAsync(2);

        Assert.Equal(["quick"], first.Keys);
        Assert.False(stoppedEarly);
        Assert.Equal(TaskOutcomeStatus.Succeeded, done["quick"].Outcome.Status);
        Assert.Equal(TaskOutcomeStatus.Interrupted, done["stuck"].Outcome.Status);
        Assert.Equal("worker stopping", done["stuck"].Outcome.Error);
        Assert.Equal(2, done.Count);
        Assert.DoesNotContain("after-stop", _h.Script.StartOrder);
        Assert.True(Assert.Single(await _h.Store.ListWorkersAsync()).Stopped);
        Assert.Equal(2, (await _h.Store.ListQueuedAsync(runId)).Count(t => t.Worker == "w1"));
    }

    [Fact]
    public async Task StoreFailingForAWhile_NoCompletionIsLost_OutageLoggedOnce()
    {
        await _h.StartAsync();
        _h.Store.Fail("Complete");

        await _h.QueueAsync([.. Enumerable.Range(1, 6).Select(i => Script($"t{i}"))]);
        await EngineHarness.WaitUntilAsync(() => _h.Script.StartOrder.Count == 6 && _h.Worker.Stats.Running == 0);
        await _h.AdvanceUntilAsync(() => Task.FromResult(_h.Store.Failures("Complete") >= 4), TimeSpan.FromMilliseconds(100));
        var recordedDuringOutage = (await _h.Store.ReadCompletionsAsync(100)).Count;
        _h.Store.Heal();
        await _h.AdvanceUntilAsync(async () => (await _h.Store.ReadCompletionsAsync(100)).Count == 6, TimeSpan.FromMilliseconds(100));

        Assert.Equal(0, recordedDuringOutage);
        Assert.Equal(6, _h.Worker.Stats.Completed);
        Assert.Single(_h.Log, l => l.Contains("complete: store unavailable", StringComparison.Ordinal));
        Assert.Single(_h.Log, l => l.Contains("complete: store available again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StoreDownAtStartAndWhileClaiming_WorkerWaitsItOut_ThenRunsTheQueuedTasks()
    {
        _h.Store.Fail("Register", "Claim");
        var starting = _h.StartAsync();
        await _h.AdvanceUntilAsync(() => Task.FromResult(_h.Store.Failures("Register") >= 3), TimeSpan.FromMilliseconds(100));
        _h.Store.Fail("Claim");
        await _h.AdvanceUntilAsync(() => Task.FromResult(starting.IsCompleted), TimeSpan.FromMilliseconds(100));
        await starting;
        await _h.QueueAsync([Script("a"), Script("b")]);
        await _h.AdvanceUntilAsync(() => Task.FromResult(_h.Store.Failures("Claim") >= 3), TimeSpan.FromMilliseconds(100));

        _h.Store.Heal();
        await _h.AdvanceUntilAsync(async () => (await _h.Store.ReadCompletionsAsync(100)).Count == 2, TimeSpan.FromMilliseconds(100));

        Assert.Single(_h.Log, l => l.Contains("claim: store unavailable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dispose_WithTheStoreStillDown_GivesUpOnTheLastOutcomesInsteadOfHanging()
    {
        await _h.StartAsync();
        _h.Store.Fail("Complete", "Unregister");
        await _h.QueueAsync([Script("a")]);
        await EngineHarness.WaitUntilAsync(() => _h.Script.StartOrder.Count == 1 && _h.Worker.Stats.Running == 0);

        var disposing = _h.Worker.DisposeAsync().AsTask();
        await _h.AdvanceUntilAsync(() => Task.FromResult(disposing.IsCompleted), TimeSpan.FromSeconds(1));
        await disposing;

        Assert.Empty(await _h.Store.ReadCompletionsAsync(10));
        Assert.Single(_h.Log, l => l.Contains("gave up writing 1 outcome(s)", StringComparison.Ordinal));
        Assert.Single(_h.Log, l => l.Contains("could not unregister", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InvalidOptions_AllErrorsTogether()
    {
        var error = await Assert.ThrowsAsync<WeftConfigurationException>(() => _h.StartAsync(o =>
        {
            o.Slots = 0;
            o.Queues.Clear();
            o.HeartbeatEvery = TimeSpan.FromSeconds(40);
            o.Name = " ";
        }));

        Assert.Equal(4, error.Errors.Count);
        Assert.Contains(error.Errors, e => e.Contains("Slots must be between 1 and 4096 (was 0)", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("Queues", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("HeartbeatEvery", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("Name", StringComparison.Ordinal));
    }

    private sealed class RecordingHook : ITaskHook
    {
        private readonly Lock _gate = new();

        public List<string> Calls { get; } = [];

        public ValueTask BeforeAsync(TaskInvocation invocation)
        {
            lock (_gate)
            {
                Calls.Add($"before {invocation.TaskId}");
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask AfterAsync(TaskInvocation invocation, TaskOutcome outcome)
        {
            lock (_gate)
            {
                Calls.Add($"after {invocation.TaskId} {outcome.Status}");
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class ThrowingHook : ITaskHook
    {
        public ValueTask BeforeAsync(TaskInvocation invocation) => throw new InvalidOperationException("no entry");
    }
}
