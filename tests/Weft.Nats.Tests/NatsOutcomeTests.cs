using System.Text.Json;
using System.Text.Json.Nodes;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Net;
using Weft.Definitions;
using Weft.Execution;

namespace Weft.Nats.Tests;

/// <summary>What the scheduler does with outcomes that do not belong to the running attempt, and which
/// engines may have a transport at all.</summary>
public sealed class NatsOutcomeTests
{
    [Fact]
    public async Task An_outcome_for_an_attempt_that_is_not_the_running_one_is_dropped_and_acked_and_the_real_outcome_still_counts()
    {
        await using var cluster = await NatsCluster.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new GatedHandler(gate.Task);
        await cluster.WorkerAsync("w1", configure: o => o.Handlers.Add(handler));
        var flow = new WorkflowBuilder("dupes").Task("slow", t => t.Kind(new CustomSpec("gated", JsonValue.Create(1)))).Build();
        var handle = await cluster.Engine.SubmitAsync(flow);
        await handler.Started.Task.WaitAsync(NatsCluster.HardLimit);

        // A stale report (attempt 7, e.g. a redelivery racing a slow ack) arrives while attempt 1 runs.
        await using var connection = NatsSetup.Connect(cluster.Server.Url, "test");
        var js = connection.CreateJetStreamContext();
        var stale = new OutcomeMessage { RunId = handle.RunId, TaskId = "slow", Attempt = 7, Worker = "ghost", Status = TaskOutcomeStatus.Failed, Error = "stale" };
        await NatsSetup.PublishStoredAsync(js, NatsNames.Unprefixed.ResultSubject, JsonSerializer.SerializeToUtf8Bytes(stale, NatsJson.Default.OutcomeMessage), "stale-1", CancellationToken.None);
        await EventuallyAsync(async () => (await js.GetStreamAsync(NatsNames.Unprefixed.ResultStream)).Info.State.Messages == 0, "the stale outcome acked (gone from the work-queue stream)");

        var snapshot = cluster.Engine.GetRun(handle.RunId);
        Assert.Equal(TaskState.Running, snapshot!.Tasks.Single().State); // the stale report changed nothing
        gate.SetResult();
        var run = await handle.WaitAsync().WaitAsync(NatsCluster.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        var task = run.Tasks.Single();
        Assert.Equal(1, task.Attempts);
        Assert.Equal("gated done", task.Output);
        Assert.Equal("w1", task.AttemptHistory.Single().Worker);
        await EventuallyAsync(async () => (await js.GetStreamAsync(NatsNames.Unprefixed.ResultStream)).Info.State.Messages == 0, "the real outcome acked after its commit");
        Assert.Equal(0L, (await js.GetStreamAsync(NatsNames.Unprefixed.TaskStream)).Info.State.Messages); // the task was acked too
    }

    [Fact]
    public async Task A_task_delivered_again_to_the_worker_that_has_it_runs_once_and_every_copy_is_acked()
    {
        // JetStream delivers a task again when a loaded worker's lease lapsed while it still ran it, and
        // nats-server 2.9 may do so with the delivery count back at 1: the worker must know the attempt itself.
        await using var cluster = await NatsCluster.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new GatedHandler(gate.Task);
        var w1 = await cluster.WorkerAsync("w1", configure: o =>
        {
            o.Handlers.Add(handler);
            o.LeaseFor = TimeSpan.FromSeconds(2);
            o.HeartbeatEvery = TimeSpan.FromMilliseconds(400);
        });
        var flow = new WorkflowBuilder("again").Task("slow", t => t.Kind(new CustomSpec("gated", JsonValue.Create(1)))).Build();
        var handle = await cluster.Engine.SubmitAsync(flow);
        await handler.Started.Task.WaitAsync(NatsCluster.HardLimit);

        await using var connection = NatsSetup.Connect(cluster.Server.Url, "test");
        var js = connection.CreateJetStreamContext();
        var tasks = await js.GetStreamAsync(NatsNames.Unprefixed.TaskStream);
        var stored = await tasks.GetAsync(new StreamMsgGetRequest { Seq = tasks.Info.State.FirstSeq });
        var copy = stored.Message.Data.ToArray();
        await NatsSetup.PublishStoredAsync(js, stored.Message.Subject, copy, "copy-while-running", CancellationToken.None);
        await EventuallyAsync(async () => (await js.GetConsumerAsync(NatsNames.Unprefixed.TaskStream, NatsNames.Unprefixed.WorkerConsumer("default"))).Info.NumAckPending == 2, "the copy delivered to the worker");

        gate.SetResult();
        var run = await handle.WaitAsync().WaitAsync(NatsCluster.HardLimit);
        await NatsSetup.PublishStoredAsync(js, stored.Message.Subject, copy, "copy-after-the-end", CancellationToken.None);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(1, run.Tasks.Single().Attempts);
        await EventuallyAsync(async () => (await js.GetStreamAsync(NatsNames.Unprefixed.TaskStream)).Info.State.Messages == 0, "every copy acked");
        Assert.Equal(1, handler.Runs);
        Assert.Equal(1, cluster.Engine.GetRun(handle.RunId)!.Tasks.Single().Attempts);

        // A copy reaching another worker (nats-server 2.9 may hand one to any of them, delivery count 1):
        // the attempt's claim tells it the attempt was begun, so it reports it lost instead of running it.
        await w1.StopAsync(TimeSpan.Zero);
        var other = new GatedHandler(Task.CompletedTask);
        await cluster.WorkerAsync("w2", configure: o => o.Handlers.Add(other));
        await NatsSetup.PublishStoredAsync(js, stored.Message.Subject, copy, "copy-to-another-worker", CancellationToken.None);
        await EventuallyAsync(async () => (await js.GetStreamAsync(NatsNames.Unprefixed.TaskStream)).Info.State.Messages == 0, "the copy acked by w2");
        await EventuallyAsync(async () => (await js.GetStreamAsync(NatsNames.Unprefixed.ResultStream)).Info.State.Messages == 0, "w2's report of a lost attempt acked");
        Assert.Equal(0, other.Runs);
        Assert.Equal(1, cluster.Engine.GetRun(handle.RunId)!.Tasks.Single().Attempts);
    }

    [Fact]
    public async Task A_second_delivery_reaching_another_worker_while_the_first_still_runs_the_attempt_is_left_to_it_not_reported_lost()
    {
        // nats-server 2.9 hands deliveries out again after a restart, to any worker, while the worker that has
        // the attempt still runs it. The claim, written again while the attempt runs, tells the other worker so:
        // it leaves the copy alone instead of reporting the attempt lost (which would run the task twice).
        await using var cluster = await NatsCluster.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = new GatedHandler(gate.Task);
        static void ShortLease(Cluster.ClusterWorkerOptions o)
        {
            o.LeaseFor = TimeSpan.FromSeconds(2);
            o.HeartbeatEvery = TimeSpan.FromMilliseconds(400);
        }

        // One slot, busy with the task: the holder pulls nothing more, so the copy goes to the other worker.
        await cluster.WorkerAsync("holder", slots: 1, configure: o => { ShortLease(o); o.Handlers.Add(holder); });
        var flow = new WorkflowBuilder("copied").Task("slow", t => t.Kind(new CustomSpec("gated", JsonValue.Create(1)))).Build();
        var handle = await cluster.Engine.SubmitAsync(flow);
        await holder.Started.Task.WaitAsync(NatsCluster.HardLimit);
        var other = new GatedHandler(Task.CompletedTask);
        await cluster.WorkerAsync("other", configure: o => { ShortLease(o); o.Handlers.Add(other); });

        await using var connection = NatsSetup.Connect(cluster.Server.Url, "test");
        var js = connection.CreateJetStreamContext();
        var tasks = await js.GetStreamAsync(NatsNames.Unprefixed.TaskStream);
        var stored = await tasks.GetAsync(new StreamMsgGetRequest { Seq = tasks.Info.State.FirstSeq });
        async Task<ulong> DeliveriesAsync() => (await js.GetConsumerAsync(NatsNames.Unprefixed.TaskStream, NatsNames.Unprefixed.WorkerConsumer("default"))).Info.Delivered.ConsumerSeq;
        var before = await DeliveriesAsync();
        await NatsSetup.PublishStoredAsync(js, stored.Message.Subject, stored.Message.Data.ToArray(), "copy-while-running", CancellationToken.None);
        // The copy is not the holder's delivery (another stream sequence): unacked by "other", it comes back
        // every lease. Delivered three times, twice past the lease, the holder's claim still said the attempt runs.
        await EventuallyAsync(
            async () =>
            {
                var now = cluster.Engine.GetRun(handle.RunId)!.Tasks.Single();
                Assert.True(now.State == TaskState.Running && now.Attempts == 1, $"{now.State} after {now.Attempts} attempts: {now.Error}");
                return await DeliveriesAsync() >= before + 3;
            },
            "the copy delivered three times");
        gate.SetResult();
        var run = await handle.WaitAsync().WaitAsync(NatsCluster.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        var task = run.Tasks.Single();
        Assert.True(task.Attempts == 1, string.Join("; ", task.AttemptHistory.Select(a => $"{a.Number} {a.Outcome} {a.Worker} {a.Error}")));
        Assert.Equal("holder", task.AttemptHistory.Single().Worker);
        Assert.Equal(1, holder.Runs);
        Assert.Equal(0, other.Runs);
        // Once the holder stopped writing its claim, the copy finds it old, is reported lost, and that stale
        // report is dropped: nothing is left in either stream.
        await EventuallyAsync(async () => (await js.GetStreamAsync(NatsNames.Unprefixed.TaskStream)).Info.State.Messages == 0, "the copy acked");
        await EventuallyAsync(async () => (await js.GetStreamAsync(NatsNames.Unprefixed.ResultStream)).Info.State.Messages == 0, "the stale report acked");
        Assert.Equal(1, cluster.Engine.GetRun(handle.RunId)!.Tasks.Single().Attempts);
    }

    [Fact]
    public async Task A_delivery_lost_on_its_way_to_a_worker_comes_again_after_its_lease_and_runs_as_the_same_attempt_not_as_worker_lost()
    {
        // A NATS server restarting as it sends a task to a pull the client then gives up on: JetStream counts it
        // delivered, nobody has it, and it comes again after its lease with a delivery count of 2. Nobody began
        // the attempt (no claim), so it must run as that attempt; it is not a lost worker's.
        await using var cluster = await NatsCluster.StartAsync();
        var flow = new WorkflowBuilder("lost-on-the-way").Task("only", t => t.Kind(new CustomSpec("gated", JsonValue.Create(1)))).Build();
        var handle = await cluster.Engine.SubmitAsync(flow);

        await using var connection = NatsSetup.Connect(cluster.Server.Url, "test");
        var (js, _) = await NatsSetup.DeclareAsync(connection, NatsNames.Unprefixed, CancellationToken.None);
        var lease = TimeSpan.FromSeconds(2);
        var consumer = await js.CreateOrUpdateConsumerAsync(
            NatsNames.Unprefixed.TaskStream,
            new ConsumerConfig(NatsNames.Unprefixed.WorkerConsumer("default"))
            {
                FilterSubject = NatsNames.Unprefixed.TaskSubject("default"),
                AckPolicy = ConsumerConfigAckPolicy.Explicit,
                AckWait = lease,
                MaxAckPending = -1,
            });
        var dropped = await consumer.NextAsync<byte[]>(opts: new NatsJSNextOpts { Expires = TimeSpan.FromSeconds(30) });
        Assert.NotNull(dropped); // taken from the queue and never acked: the delivery that was lost

        var handler = new GatedHandler(Task.CompletedTask);
        await cluster.WorkerAsync("w1", configure: o =>
        {
            o.Handlers.Add(handler);
            o.LeaseFor = lease;
            o.HeartbeatEvery = TimeSpan.FromMilliseconds(400);
        });
        var run = await handle.WaitAsync().WaitAsync(NatsCluster.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        var task = run.Tasks.Single();
        Assert.True(task.Attempts == 1, string.Join("; ", task.AttemptHistory.Select(a => $"{a.Number} {a.Outcome} {a.Error}")));
        Assert.Equal("w1", task.AttemptHistory.Single().Worker);
        Assert.Equal(1, handler.Runs);
    }

    [Fact]
    public async Task A_batch_of_one_runs_outcomes_is_taken_in_whole_its_stale_outcome_dropped_and_a_batch_mixing_runs_is_dropped()
    {
        await using var cluster = await NatsCluster.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new GatedHandler(gate.Task);
        await cluster.WorkerAsync("w1", configure: o => o.Handlers.Add(handler));
        var flow = new WorkflowBuilder("batched")
            .Task("a", t => t.Kind(new CustomSpec("gated", JsonValue.Create(1))))
            .Task("b", t => t.Kind(new CustomSpec("gated", JsonValue.Create(2))))
            .Build();
        var handle = await cluster.Engine.SubmitAsync(flow);
        await EventuallyAsync(() => Task.FromResult(handler.Runs == 2), "both tasks running on the worker");

        // A worker's batch (see OutcomeBatcher): both running attempts' outcomes and a stale one, in one message.
        await using var connection = NatsSetup.Connect(cluster.Server.Url, "test");
        var js = connection.CreateJetStreamContext();
        OutcomeMessage[] batch =
        [
            new() { RunId = handle.RunId, TaskId = "a", Attempt = 1, Worker = "w9", Status = TaskOutcomeStatus.Succeeded, Output = "a from the batch" },
            new() { RunId = handle.RunId, TaskId = "a", Attempt = 7, Worker = "ghost", Status = TaskOutcomeStatus.Failed, Error = "stale" },
            new() { RunId = handle.RunId, TaskId = "b", Attempt = 1, Worker = "w9", Status = TaskOutcomeStatus.Succeeded, Output = "b from the batch" },
        ];
        await NatsSetup.PublishStoredAsync(js, NatsNames.Unprefixed.ResultSubject, JsonSerializer.SerializeToUtf8Bytes(batch.ToList(), NatsJson.Default.ListOutcomeMessage), "batch-1", CancellationToken.None);
        var run = await handle.WaitAsync().WaitAsync(NatsCluster.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(["a from the batch", "b from the batch"], run.Tasks.OrderBy(t => t.TaskId).Select(t => t.Output));
        Assert.All(run.Tasks, t => Assert.Equal(1, t.Attempts));
        Assert.All(run.Tasks, t => Assert.Equal("w9", t.AttemptHistory.Single().Worker));
        gate.SetResult(); // the worker's own outcomes now come too late, and are dropped
        await EventuallyAsync(async () => (await js.GetStreamAsync(NatsNames.Unprefixed.ResultStream)).Info.State.Messages == 0, "every outcome message acked");
        Assert.Equal(["a from the batch", "b from the batch"], cluster.Engine.GetRun(handle.RunId)!.Tasks.OrderBy(t => t.TaskId).Select(t => t.Output));

        // Outcomes of two runs in one message: no worker makes one; it is dropped (acked), not half taken.
        OutcomeMessage[] mixed =
        [
            new() { RunId = handle.RunId, TaskId = "a", Attempt = 1, Worker = "w9", Status = TaskOutcomeStatus.Failed },
            new() { RunId = "another-run", TaskId = "a", Attempt = 1, Worker = "w9", Status = TaskOutcomeStatus.Failed },
        ];
        await NatsSetup.PublishStoredAsync(js, NatsNames.Unprefixed.ResultSubject, JsonSerializer.SerializeToUtf8Bytes(mixed.ToList(), NatsJson.Default.ListOutcomeMessage), "mixed-1", CancellationToken.None);
        await EventuallyAsync(async () => (await js.GetStreamAsync(NatsNames.Unprefixed.ResultStream)).Info.State.Messages == 0, "the mixed batch acked");
        Assert.Contains(cluster.Log, l => l.Contains("mixed runs", StringComparison.Ordinal));
        Assert.Equal(RunState.Succeeded, cluster.Engine.GetRun(handle.RunId)!.State);
    }

    [Fact]
    public async Task Eight_tasks_ending_together_on_one_worker_reach_the_scheduler_in_fewer_messages_and_all_succeed_once()
    {
        await using var cluster = await NatsCluster.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new GatedHandler(gate.Task);
        await cluster.WorkerAsync("w1", slots: 8, configure: o => o.Handlers.Add(handler));
        var builder = new WorkflowBuilder("together");
        for (var i = 0; i < 8; i++)
        {
            builder.Task($"t{i}", t => t.Kind(new CustomSpec("gated", JsonValue.Create(i))));
        }

        var handle = await cluster.Engine.SubmitAsync(builder.Build());
        await EventuallyAsync(() => Task.FromResult(handler.Runs == 8), "all eight running");
        gate.SetResult();
        var run = await handle.WaitAsync().WaitAsync(NatsCluster.HardLimit);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.All(run.Tasks, t => Assert.True(t.Attempts == 1 && t.Output == "gated done", $"{t.TaskId}: {t.Attempts} attempts, {t.Output}"));
        await using var connection = NatsSetup.Connect(cluster.Server.Url, "test");
        var results = await connection.CreateJetStreamContext().GetStreamAsync(NatsNames.Unprefixed.ResultStream);
        Assert.True(results.Info.State.LastSeq < 8, $"{results.Info.State.LastSeq} outcome messages for 8 outcomes");
    }

    [Fact]
    public async Task Publishing_again_under_a_message_id_already_stored_counts_as_stored_and_stores_nothing_more()
    {
        await using var server = await NatsServer.StartAsync();
        await using var connection = NatsSetup.Connect(server.Url, "test");
        var (js, _) = await NatsSetup.DeclareAsync(connection, NatsNames.Unprefixed, CancellationToken.None);
        var data = System.Text.Encoding.UTF8.GetBytes("{}");

        // A publisher whose first answer was lost (a NATS restart, a timeout) publishes again: that must not fail.
        await NatsSetup.PublishStoredAsync(js, NatsNames.Unprefixed.ResultSubject, data, "run/task/1", CancellationToken.None);
        await NatsSetup.PublishStoredAsync(js, NatsNames.Unprefixed.ResultSubject, data, "run/task/1", CancellationToken.None);

        Assert.Equal(1L, (await js.GetStreamAsync(NatsNames.Unprefixed.ResultStream)).Info.State.Messages);
    }

    [Fact]
    public void A_transport_needs_a_durable_store()
    {
        var error = Assert.Throws<WeftConfigurationException>(() => WeftEngine.Create(o => o.Transport = new NatsTransport("nats://alice:secret@127.0.0.1:4222")));

        var message = Assert.Single(error.Errors);
        Assert.Contains("needs a durable store", message, StringComparison.Ordinal);
        Assert.Contains("nats://127.0.0.1:4222", message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("default", "weft.tasks.default")]
    [InlineData("gpu-large_2", "weft.tasks.gpu-large_2")]
    [InlineData("a.b", "weft.tasks.a~2eb")]
    [InlineData("a~2eb", "weft.tasks.a~7e2eb")]
    [InlineData("x >*", "weft.tasks.x~20~3e~2a")]
    public void Every_queue_name_becomes_one_subject_token_and_distinct_names_stay_distinct(string queue, string subject) =>
        Assert.Equal(subject, NatsNames.Unprefixed.TaskSubject(queue));

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var limit = DateTime.UtcNow + NatsCluster.HardLimit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < limit, $"still waiting for {what}");
            await Task.Delay(20);
        }
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
}
