using NATS.Client.JetStream;
using NATS.Net;
using System.Text.Json.Nodes;
using Weft.Definitions;
using Weft.Execution;

namespace Weft.Nats.Tests;

/// <summary>A scheduler (SQLite store) and in-process workers over a real nats-server: tasks reach
/// workers through JetStream only, and outcomes come back the same way.</summary>
public sealed class NatsTransportTests
{
    [Fact]
    public async Task A_fan_out_fan_in_workflow_and_a_templated_chain_run_to_success_on_two_workers_each_task_once()
    {
        await using var cluster = await NatsCluster.StartAsync();
        var w1 = await cluster.WorkerAsync("w1");
        var w2 = await cluster.WorkerAsync("w2");
        var fan = new WorkflowBuilder("fan").Task("start", t => t.Noop());
        var middle = Enumerable.Range(0, 30).Select(i => $"m{i}").ToArray();
        foreach (var id in middle)
        {
            fan.Task(id, t => t.Noop().DependsOn("start"));
        }

        fan.Task("end", t => t.Noop().DependsOn(middle));
        var chain = new WorkflowBuilder("greet")
            .Param("name", "world")
            .Task("hello", t => t.Shell("echo hello {{ params.name }}"))
            .Task("shout", t => t.Shell("echo \"{{ tasks.hello.output }}\" | tr a-z A-Z").DependsOn("hello"))
            .Build();

        var fanned = await cluster.RunAsync(fan.Build());
        var greeted = await cluster.RunAsync(chain, new Dictionary<string, string> { ["name"] = "weft" });

        Assert.Equal(RunState.Succeeded, fanned.State);
        Assert.Equal(32, fanned.Tasks.Count);
        Assert.All(fanned.Tasks, t => Assert.Equal(1, t.Attempts));
        Assert.All(fanned.Tasks, t => Assert.Contains(t.AttemptHistory.Single().Worker, new[] { "w1", "w2" }));
        Assert.Equal(RunState.Succeeded, greeted.State);
        Assert.Equal("HELLO WEFT", greeted.Tasks.Single(t => t.TaskId == "shout").Output);
        // every task ran once, on one worker or the other (a worker counts an outcome after its ack, which can trail the run's end)
        Assert.Equal(34, await SettledAsync(() => w1.Completed + w2.Completed, 34));

        // The record is the store's: a fresh read shows the same finished run.
        var stored = await cluster.Engine.Store.GetRunAsync(fanned.RunId);
        Assert.Equal(RunState.Succeeded, stored!.State);
    }

    [Fact]
    public async Task A_task_with_a_queue_runs_only_on_a_worker_serving_that_queue()
    {
        await using var cluster = await NatsCluster.StartAsync();
        var gpu = await cluster.WorkerAsync("gpu-worker", queues: ["gpu"], configure: o => o.Handlers.Add(new HoldHandler("gpu-worker", blocks: false)));
        var plain = await cluster.WorkerAsync("plain-worker", configure: o => o.Handlers.Add(new HoldHandler("plain-worker", blocks: false)));
        var flow = new WorkflowBuilder("routed");
        for (var i = 0; i < 6; i++)
        {
            var n = i;
            flow.Task($"train{n}", t => t.Kind(Hold()).Queue("gpu"));
            flow.Task($"report{n}", t => t.Kind(Hold()).DependsOn($"train{n}"));
        }

        var run = await cluster.RunAsync(flow.Build());

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.All(run.Tasks.Where(t => t.TaskId.StartsWith("train", StringComparison.Ordinal)), t => Assert.Equal("done by gpu-worker", t.Output));
        Assert.All(run.Tasks.Where(t => t.TaskId.StartsWith("report", StringComparison.Ordinal)), t => Assert.Equal("done by plain-worker", t.Output));
        Assert.Equal(6, await SettledAsync(() => gpu.Completed, 6));
        Assert.Equal(6, await SettledAsync(() => plain.Completed, 6));
    }

    [Fact]
    public async Task A_worker_lost_mid_task_gets_its_task_redelivered_and_the_run_completes_with_the_attempt_marked_worker_lost()
    {
        await using var cluster = await NatsCluster.StartAsync();
        var holding = new HoldHandler("doomed", blocks: true);
        static void ShortLease(Cluster.ClusterWorkerOptions o)
        {
            o.LeaseFor = TimeSpan.FromSeconds(2);
            o.HeartbeatEvery = TimeSpan.FromMilliseconds(400);
        }

        var doomed = await cluster.WorkerAsync("doomed", configure: o => { ShortLease(o); o.Handlers.Add(holding); });
        var flow = new WorkflowBuilder("lost").Task("long", t => t.Kind(Hold())).Task("after", t => t.Noop().DependsOn("long")).Build();
        var handle = await cluster.Engine.SubmitAsync(flow);
        await holding.Started.Task.WaitAsync(NatsCluster.HardLimit);

        await doomed.AbandonAsync(); // as if killed: no outcome, no ack, connection gone
        var survivor = await cluster.WorkerAsync("survivor", configure: o => { ShortLease(o); o.Handlers.Add(new HoldHandler("survivor", blocks: false)); });
        var run = await handle.WaitAsync().WaitAsync(NatsCluster.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        var task = run.Tasks.Single(t => t.TaskId == "long");
        Assert.Equal("done by survivor", task.Output);
        Assert.Equal(2, task.Attempts);
        Assert.Equal(TaskOutcomeStatus.Interrupted, task.AttemptHistory[0].Outcome);
        Assert.StartsWith("worker lost", task.AttemptHistory[0].Error, StringComparison.Ordinal);
        // The lost attempt is the doomed worker's (its claim names it), found by the survivor.
        Assert.Equal("doomed", task.AttemptHistory[0].Worker);
        Assert.Equal("worker lost: worker 'doomed' stopped extending its lease (found by worker 'survivor')", task.AttemptHistory[0].Error);
        Assert.Equal(TaskOutcomeStatus.Succeeded, task.AttemptHistory[1].Outcome);
        Assert.Equal("survivor", task.AttemptHistory[1].Worker);
    }

    [Fact]
    public async Task A_worker_stopping_gracefully_hands_its_running_task_back_and_another_worker_runs_it_without_using_a_retry()
    {
        await using var cluster = await NatsCluster.StartAsync();
        var holding = new HoldHandler("leaving", blocks: true);
        var leaving = await cluster.WorkerAsync("leaving", configure: o => o.Handlers.Add(holding));
        var flow = new WorkflowBuilder("handback").Task("long", t => t.Kind(Hold())).Build();
        var handle = await cluster.Engine.SubmitAsync(flow);
        await holding.Started.Task.WaitAsync(NatsCluster.HardLimit);

        await leaving.StopAsync(TimeSpan.Zero);
        await cluster.WorkerAsync("staying", configure: o => o.Handlers.Add(new HoldHandler("staying", blocks: false)));
        var run = await handle.WaitAsync().WaitAsync(NatsCluster.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        var task = run.Tasks.Single();
        Assert.Equal("done by staying", task.Output);
        Assert.Equal(TaskOutcomeStatus.Interrupted, task.AttemptHistory[0].Outcome);
        Assert.Contains("worker 'leaving' stopped before finishing", task.AttemptHistory[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancel_reaches_the_attempt_running_on_a_worker_and_the_run_ends_cancelled()
    {
        await using var cluster = await NatsCluster.StartAsync();
        var holding = new HoldHandler("w1", blocks: true);
        await cluster.WorkerAsync("w1", configure: o => o.Handlers.Add(holding));
        var flow = new WorkflowBuilder("cancelled").Task("long", t => t.Kind(Hold())).Task("after", t => t.Noop().DependsOn("long")).Build();
        var handle = await cluster.Engine.SubmitAsync(flow);
        await holding.Started.Task.WaitAsync(NatsCluster.HardLimit);

        Assert.True(await cluster.Engine.CancelAsync(handle.RunId));
        var run = await handle.WaitAsync().WaitAsync(TimeSpan.FromSeconds(20)); // the handler blocks forever unless cancelled

        Assert.Equal(RunState.Cancelled, run.State);
        var task = run.Tasks.Single(t => t.TaskId == "long");
        Assert.Equal(TaskState.Cancelled, task.State);
        Assert.Equal(TaskOutcomeStatus.Cancelled, task.AttemptHistory.Single().Outcome);
        Assert.Equal("w1", task.AttemptHistory.Single().Worker);
    }

    [Fact]
    public async Task A_cancel_of_a_run_whose_task_no_worker_has_taken_ends_it_at_once_and_a_worker_coming_later_does_not_run_it()
    {
        await using var cluster = await NatsCluster.StartAsync();
        var holding = new HoldHandler("late", blocks: false);
        var flow = new WorkflowBuilder("nobody-there").Task("queued", t => t.Kind(Hold())).Task("after", t => t.Noop().DependsOn("queued")).Build();
        var handle = await cluster.Engine.SubmitAsync(flow);
        await using var connection = NatsSetup.Connect(cluster.Server.Url, "test");
        var js = connection.CreateJetStreamContext();
        long published = 0;
        Assert.Equal(1, await SettledAsync(() => published, 1, async () => published = await MessagesInAsync(js, NatsNames.Unprefixed.TaskStream))); // in the stream, waiting for a worker

        Assert.True(await cluster.Engine.CancelAsync(handle.RunId));
        var run = await handle.WaitAsync().WaitAsync(TimeSpan.FromSeconds(20)); // no worker exists to report it

        Assert.Equal(RunState.Cancelled, run.State);
        var task = run.Tasks.Single(t => t.TaskId == "queued");
        Assert.Equal(TaskState.Cancelled, task.State);
        Assert.Equal("cancelled before a worker took it", task.AttemptHistory.Single().Error);
        var late = await cluster.WorkerAsync("late", configure: o => o.Handlers.Add(holding));
        Assert.Equal(1, await SettledAsync(() => late.Completed, 1)); // it took the waiting message and settled it
        Assert.False(holding.Started.Task.IsCompleted); // it never ran the cancelled attempt
    }

    [Fact]
    public async Task After_a_nats_server_restart_an_outcome_reaches_the_scheduler_within_seconds_and_nothing_runs_twice()
    {
        await using var cluster = await NatsCluster.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new GatedHandler(gate.Task);
        var worker = await cluster.WorkerAsync("w1", configure: o => o.Handlers.Add(handler));
        var flow = new WorkflowBuilder("restart").Task("held", t => t.Kind(new CustomSpec("gated", JsonValue.Create(1)))).Task("after", t => t.Noop().DependsOn("held")).Build();
        var handle = await cluster.Engine.SubmitAsync(flow);
        await handler.Started.Task.WaitAsync(NatsCluster.HardLimit);

        await cluster.Server.RestartAsync(downFor: TimeSpan.FromSeconds(1));
        gate.SetResult();

        // Clients reconnect within a few seconds of the restart; the scheduler's consumer of outcomes must
        // pull again then, not when its last pull request would have expired.
        var run = await handle.WaitAsync().WaitAsync(TimeSpan.FromSeconds(12));
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.All(run.Tasks, t => Assert.Equal(1, t.Attempts));
        Assert.Equal(1, handler.Runs);
        Assert.Equal(2, await SettledAsync(() => worker.Completed, 2));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_task_running_on_a_worker_while_the_scheduler_restarts_is_adopted_and_its_outcome_recorded_once(bool outcomeBeforeTakeUp)
    {
        await using var cluster = await NatsCluster.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new GatedHandler(gate.Task);
        var worker = await cluster.WorkerAsync("w1", configure: o => o.Handlers.Add(handler));
        var flow = new WorkflowBuilder("adopt").Task("held", t => t.Kind(new CustomSpec("gated", JsonValue.Create(1)))).Task("after", t => t.Noop().DependsOn("held")).Build();
        var handle = await cluster.Engine.SubmitAsync(flow);
        await handler.Started.Task.WaitAsync(NatsCluster.HardLimit);

        await cluster.RestartEngineAsync();
        var before = await cluster.Engine.Store.GetRunAsync(handle.RunId);
        var beforeText = $"{before!.State} " + string.Join("; ", before.Tasks.Select(t => $"{t.TaskId} {t.State} {t.Attempts} {t.Error}"));
        if (outcomeBeforeTakeUp)
        {
            // The new scheduler is up (it ran a run of its own) and the outcome reaches it before the run it
            // belongs to is taken up: it must wait for the run, not be dropped as stale.
            Assert.Equal(RunState.Succeeded, (await cluster.RunAsync(new WorkflowBuilder("other").Task("x", t => t.Noop()).Build())).State);
            gate.SetResult();
            Assert.Equal(2, await SettledAsync(() => worker.Completed, 2));
        }

        var resumed = await cluster.Engine.ResumeAsync(handle.RunId);
        gate.TrySetResult();
        var run = await resumed.WaitAsync().WaitAsync(NatsCluster.HardLimit);

        Assert.True(run.State == RunState.Succeeded, string.Join("\n", run.Tasks.Select(t => $"{t.TaskId} {t.State} {t.Attempts}: {string.Join("; ", t.AttemptHistory.Select(a => $"{a.Outcome} {a.Error} {a.Worker}"))}")) + "\n" + cluster.Transcript() + "\nBEFORE " + beforeText);
        var held = run.Tasks.Single(t => t.TaskId == "held");
        Assert.Equal(1, held.Attempts);
        Assert.Equal("gated done", held.Output);
        Assert.Equal("w1", held.AttemptHistory.Single().Worker);
        Assert.Equal(1, handler.Runs); // the attempt out with the worker was adopted, not run again
    }

    private sealed class GatedHandler(Task gate) : ITaskHandler
    {
        private int _runs;

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Runs => Volatile.Read(ref _runs);

        public string Kind => "gated";

        public async ValueTask<TaskOutcome> ExecuteAsync(TaskInvocation invocation)
        {
            Interlocked.Increment(ref _runs);
            Started.TrySetResult();
            await gate.WaitAsync(invocation.CancellationToken);
            return TaskOutcome.Succeeded("gated done");
        }
    }

    private static CustomSpec Hold() => new("hold", JsonValue.Create(true));

    /// <summary>The messages in a stream, none while it is not declared yet: a submit returns once its run is
    /// recorded, and the scheduler declares its streams beside that, not before it.</summary>
    private static async Task<long> MessagesInAsync(INatsJSContext js, string stream)
    {
        try
        {
            return (await js.GetStreamAsync(stream)).Info.State.Messages;
        }
        catch (NatsJSApiException ex) when (ex.Error.Code == 404)
        {
            return 0;
        }
    }

    /// <summary>A worker counts an outcome once it is acked, just after the scheduler may already have finished the run:
    /// waits for the count to reach <paramref name="expected"/> (and returns it, so a count above it still fails).</summary>
    private static async Task<long> SettledAsync(Func<long> count, long expected, Func<Task>? refresh = null)
    {
        var limit = DateTime.UtcNow + NatsCluster.HardLimit;
        while (count() < expected && DateTime.UtcNow < limit)
        {
            await Task.Delay(10);
            if (refresh is not null)
            {
                await refresh();
            }
        }

        return count();
    }
}
