using Microsoft.Extensions.Time.Testing;
using Weft.Cluster;
using Weft.Definitions;
using Weft.Execution;
using Weft.Tests.Scheduling;

namespace Weft.Tests.ClusterScheduling;

/// <summary>The engine as a cluster's scheduler (its store is a cluster store): tasks become queue rows
/// that workers claim, outcomes come back through the store, lost workers' attempts run again.</summary>
public sealed class ClusterSchedulerTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-01T00:00:00Z"));

    private static WorkflowDefinition Chain() => new WorkflowBuilder("chain")
        .Task("a", t => t.Shell("echo a"))
        .Task("b", t => t.Shell("echo {{ tasks.a.output }}").DependsOn("a"))
        .Build();

    private static WorkflowDefinition Flat(int n)
    {
        var builder = new WorkflowBuilder("flat");
        for (var i = 0; i < n; i++)
        {
            builder.Task($"t{i}", t => t.Noop());
        }

        return builder.Build();
    }

    private WeftEngine Scheduler(IClusterStore store, Action<WeftOptions>? configure = null) => ClusterSchedulers.Create(store, o =>
    {
        o.TimeProvider = _time;
        o.Monitor.SampleEvery = null;
        configure?.Invoke(o);
    });

    [Fact]
    public async Task Tasks_go_to_the_queue_in_dependency_order_and_outcomes_come_back_from_workers()
    {
        var store = new MemoryClusterStore(_time);
        await using var engine = Scheduler(store);
        var worker = new ManualWorker(store);
        Assert.True(engine.IsClusterScheduler);

        var handle = await engine.SubmitAsync(Chain());
        var first = Assert.Single(await worker.ClaimAsync(1));
        Assert.Equal(("a", 1, "default"), (first.TaskId, first.Attempt, first.Queue));
        Assert.Null(first.Payload);
        Assert.Empty(await store.ClaimAsync("w2", ["default"], 10, ManualWorker.Lease)); // b waits for a

        await worker.CompleteAsync(first, TaskOutcome.Succeeded("hello"));
        var second = Assert.Single(await worker.ClaimAsync(1));
        Assert.Equal("b", second.TaskId);

        // The worker renders b's template from the payload: a's output travelled with the row.
        var values = TaskPayload.Read(second.Payload);
        Assert.Equal("hello", values.Resolve(Templates.Template.Parse("{{ tasks.a.output }}").References.Single()));

        await worker.CompleteAsync(second, TaskOutcome.Succeeded("done"));
        var final = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        Assert.Equal(RunState.Succeeded, final.State);
        Assert.Equal("done", final.Tasks.Single(t => t.TaskId == "b").Output);
        Assert.Empty(await store.ListQueuedAsync(handle.RunId)); // every row dequeued once taken in
    }

    [Fact]
    public async Task A_failed_attempt_is_retried_by_policy_with_a_new_queue_row()
    {
        var store = new MemoryClusterStore(_time);
        await using var engine = Scheduler(store);
        var worker = new ManualWorker(store);
        var flow = new WorkflowBuilder("retry").Task("a", t => t.Shell("exit 1").Retry(new RetryPolicy { MaxAttempts = 2, Delay = TimeSpan.Zero })).Build();

        var handle = await engine.SubmitAsync(flow);
        await worker.CompleteAsync(Assert.Single(await worker.ClaimAsync(1)), TaskOutcome.Failed("boom", exitCode: 1));
        var again = Assert.Single(await worker.ClaimAsync(1));
        Assert.Equal(2, again.Attempt);
        await worker.CompleteAsync(again, TaskOutcome.Succeeded());

        var final = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        Assert.Equal(RunState.Succeeded, final.State);
        Assert.Equal([TaskOutcomeStatus.Failed, TaskOutcomeStatus.Succeeded], final.Tasks[0].AttemptHistory.Select(a => a.Outcome!.Value));
    }

    [Fact]
    public async Task A_lost_worker_s_attempt_runs_again_and_says_so_without_using_a_retry()
    {
        var store = new MemoryClusterStore(_time);
        await using var engine = Scheduler(store);
        var dying = new ManualWorker(store, "dying");
        var healthy = new ManualWorker(store, "healthy");

        var handle = await engine.SubmitAsync(new WorkflowBuilder("one").Task("a", t => t.Noop()).Build());
        var lost = Assert.Single(await dying.ClaimAsync(1, lease: TimeSpan.Zero)); // its lease is over at once
        _time.Advance(TimeSpan.FromSeconds(3)); // the next lease check
        var again = Assert.Single(await healthy.ClaimAsync(1));
        Assert.Equal(2, again.Attempt);

        // The dead worker's late report is ignored: its row was taken back.
        await dying.CompleteAsync(lost, TaskOutcome.Succeeded("late"));
        await healthy.CompleteAsync(again, TaskOutcome.Succeeded("fresh"));
        var final = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        Assert.Equal(RunState.Succeeded, final.State);
        var attempts = final.Tasks[0].AttemptHistory;
        Assert.Equal(TaskOutcomeStatus.Interrupted, attempts[0].Outcome);
        Assert.Contains("worker lost", attempts[0].Error);
        Assert.Contains("dying", attempts[0].Error);
        Assert.Equal("fresh", final.Tasks[0].Output);
    }

    [Fact]
    public async Task A_task_that_keeps_killing_its_workers_is_quarantined()
    {
        var store = new MemoryClusterStore(_time);
        await using var engine = Scheduler(store, o => o.Cluster.QuarantineAfter = 3);
        var handle = await engine.SubmitAsync(new WorkflowBuilder("poison").Task("a", t => t.Noop()).Build());
        for (var i = 1; i <= 3; i++)
        {
            var row = Assert.Single(await new ManualWorker(store, $"victim{i}").ClaimAsync(1, lease: TimeSpan.Zero));
            Assert.Equal(i, row.Attempt);
            // The clock moves on to the next lease check until it has seen the lapsed lease: advanced once, it
            // could pass before the engine had set that check's timer (a loaded machine), and nothing followed.
            using var limit = new CancellationTokenSource(EngineHarness.HardLimit);
            while (i < 3 ? !(await store.ListQueuedAsync(handle.RunId)).Any(r => r.Attempt == i + 1) : !handle.WaitAsync().IsCompleted)
            {
                _time.Advance(TimeSpan.FromSeconds(3));
                await Task.Delay(10, limit.Token); // lets the engine act on the check before the clock moves again
            }
        }

        var final = await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit);
        Assert.Equal(RunState.Failed, final.State);
        Assert.Equal(TaskState.Failed, final.Tasks[0].State);
        Assert.Contains("quarantined", final.Tasks[0].Error);
        Assert.Empty(await store.ListQueuedAsync(handle.RunId));
    }

    [Fact]
    public async Task A_worker_that_stops_cleanly_hands_its_attempt_back_without_counting_a_crash()
    {
        var store = new MemoryClusterStore(_time);
        await using var engine = Scheduler(store, o => o.Cluster.QuarantineAfter = 1);
        var worker = new ManualWorker(store);
        var handle = await engine.SubmitAsync(new WorkflowBuilder("one").Task("a", t => t.Noop()).Build());
        await worker.CompleteAsync(Assert.Single(await worker.ClaimAsync(1)), new TaskOutcome(TaskOutcomeStatus.Interrupted) { Error = "worker stopping" });
        var again = Assert.Single(await worker.ClaimAsync(1));
        await worker.CompleteAsync(again, TaskOutcome.Succeeded());
        Assert.Equal(RunState.Succeeded, (await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);
    }

    [Fact]
    public async Task Cancelling_a_run_flags_its_rows_so_their_workers_stop_them()
    {
        var store = new MemoryClusterStore(_time);
        await using var engine = Scheduler(store);
        var worker = new ManualWorker(store);
        var handle = await engine.SubmitAsync(Flat(2));
        var rows = await worker.ClaimAsync(2);

        Assert.True(await engine.CancelAsync(handle.RunId));
        await EngineHarness.WaitUntilAsync(async () => (await store.HeartbeatAsync(worker.Name, ManualWorker.Lease)).Count == 2);
        await worker.CompleteAllAsync(rows, _ => TaskOutcome.Cancelled());
        Assert.Equal(RunState.Cancelled, (await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);
    }

    [Fact]
    public async Task A_new_leader_adopts_attempts_still_out_with_workers_and_finishes_the_run()
    {
        var store = new MemoryClusterStore(_time);
        var worker = new ManualWorker(store);
        string runId;
        List<QueuedTask> rows;
        await using (var first = Scheduler(store))
        {
            runId = (await first.SubmitAsync(Flat(3))).RunId;
            rows = await worker.ClaimAsync(3);
            await worker.CompleteAsync(rows[0], TaskOutcome.Succeeded("before"));
            await EngineHarness.WaitUntilAsync(async () => (await store.ListQueuedAsync(runId)).Count == 2);
        }

        // The first scheduler is gone, its run unfinished; the workers went on meanwhile.
        await worker.CompleteAsync(rows[1], TaskOutcome.Succeeded("during"));
        await using var second = Scheduler(store.OpenPeer());
        await EngineHarness.WaitUntilAsync(() => second.GetRun(runId) is not null);
        await worker.CompleteAsync(rows[2], TaskOutcome.Succeeded("after"));

        var final = await (await second.ResumeAsync(runId)).WaitAsync();
        Assert.Equal(RunState.Succeeded, final.State);
        Assert.All(final.Tasks, t => Assert.Single(t.AttemptHistory)); // nothing ran twice
        Assert.Equal(["before", "during", "after"], final.Tasks.OrderBy(t => t.TaskId).Select(t => t.Output));
    }

    [Fact]
    public async Task Runs_recorded_by_other_processes_are_taken_up()
    {
        var store = new MemoryClusterStore(_time);
        await using var engine = Scheduler(store);
        var client = new ClusterClient(store.OpenPeer(), _time);
        var worker = new ManualWorker(store);

        var runId = await client.SubmitAsync(Flat(2));
        await worker.CompleteAllAsync(await worker.ClaimAsync(2));
        var final = await client.WaitAsync(runId);
        Assert.Equal(RunState.Succeeded, final.State);
    }

    [Fact]
    public async Task The_client_refuses_bad_input_before_storing_anything()
    {
        var store = new MemoryClusterStore(_time);
        var client = new ClusterClient(store, _time);
        var flow = new WorkflowBuilder("p").Param("name", required: true).Task("a", t => t.Noop()).Build();
        var error = await Assert.ThrowsAsync<WeftConfigurationException>(async () => await client.SubmitAsync(flow));
        Assert.Contains("missing required parameter 'name'", error.Errors.Single());
        Assert.Empty(await store.ListUnfinishedRunsAsync());
    }

    [Fact]
    public async Task A_task_s_queue_routes_it_only_to_workers_serving_that_queue()
    {
        var store = new MemoryClusterStore(_time);
        await using var engine = Scheduler(store);
        var flow = new WorkflowBuilder("gpu").Task("train", t => t.Noop().Queue("gpu")).Task("report", t => t.Noop()).Build();
        var handle = await engine.SubmitAsync(flow);

        var cpuWorker = new ManualWorker(store, "cpu");
        var gpuWorker = new ManualWorker(store, "gpu");
        var cpu = Assert.Single(await cpuWorker.ClaimAsync(1));
        Assert.Equal("report", cpu.TaskId);
        Assert.Empty(await store.ClaimAsync("cpu", ["default"], 10, ManualWorker.Lease));
        var gpu = Assert.Single(await gpuWorker.ClaimAsync(1, queues: ["gpu"]));
        Assert.Equal(("train", "gpu"), (gpu.TaskId, gpu.Queue));
        await cpuWorker.CompleteAllAsync([cpu]);
        await gpuWorker.CompleteAllAsync([gpu]);
        Assert.Equal(RunState.Succeeded, (await handle.WaitAsync().WaitAsync(EngineHarness.HardLimit)).State);
    }
}
