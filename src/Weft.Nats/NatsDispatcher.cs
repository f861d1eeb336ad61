using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Client.KeyValueStore;
using Weft.Caching;
using Weft.Cluster;
using Weft.Coordination;
using Weft.Definitions;
using Weft.Execution;
using Weft.Scheduling;
using Weft.Storage;

namespace Weft.Nats;

/// <summary>The dispatcher of a scheduler whose workers are reached over NATS JetStream; it mirrors
/// <see cref="ClusterQueueDispatcher"/> with JetStream in place of the queue table:
/// <list type="bullet">
/// <item>A started task is journaled as an <see cref="StoreChangeKind.Enqueue"/> change with the task's
/// running state (the store ignores it); only once the journal has committed it (<see cref="Committed"/>)
/// is it published to <c>weft.tasks.&lt;queue&gt;</c>, so a worker never runs an attempt the record does not know.</item>
/// <item>Outcomes are consumed from the result stream and taken into the scheduler in one locked step;
/// each is acked after the journal committed what it changed (a <see cref="StoreChangeKind.Dequeue"/>
/// change marks it), so an outcome is never lost between JetStream and the store. The tasks an outcome
/// made ready start in that same step (<see cref="EnqueueStarter"/>, shared with the PostgreSQL queue), so
/// one commit records the outcome and the next start, and the next task is published as the outcome is acked.</item>
/// <item>An outcome for an attempt that is not the running one (a duplicate, a late report of an attempt
/// already replaced) changes nothing and is only acked.</item>
/// </list></summary>
internal sealed class NatsDispatcher : IDispatcher
{
    // Also how long outcomes a killed scheduler had pulled wait before the next leader gets them; a repeat
    // after a slow commit is recognised as a duplicate and only acked.
    private static readonly TimeSpan ResultAckWait = TimeSpan.FromSeconds(10);

    // How soon an outcome of a run not yet taken up is offered again.
    private static readonly TimeSpan UnheldRetry = TimeSpan.FromSeconds(1);

    // A pull request does not survive a NATS server restart, and the client pulls again only when the one
    // out expires (or its heartbeats are missed): short pulls keep outcomes flowing seconds after a restart
    // rather than the default 30 s.
    private static readonly NatsJSConsumeOpts ConsumeOpts = new() { MaxMsgs = 1000, Expires = TimeSpan.FromSeconds(5), IdleHeartbeat = TimeSpan.FromSeconds(1) };

    private readonly Coordinator _coordinator;
    private readonly Scheduler _scheduler;
    private readonly AttemptCache _cache;
    private readonly EnqueueStarter _starter;
    private readonly NatsTransport _transport;
    private readonly Action<string, string> _onWorkerLost;
    private readonly IWeftStore _store;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<(TaskMessage Task, string DefinitionJson)> _outbox = Channel.CreateUnbounded<(TaskMessage, string)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<string> _cancels = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<INatsJSMsg<byte[]>> _acks = Channel.CreateUnbounded<INatsJSMsg<byte[]>>(new UnboundedChannelOptions { SingleReader = true });

    // Outcome messages taken into the scheduler, by the id of their Dequeue change, until it commits.
    private readonly ConcurrentDictionary<long, INatsJSMsg<byte[]>> _uncommitted = new();
    private readonly DefinitionCache _definitions = new();
    private readonly HashSet<string> _storedDefinitions = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<(INatsJSContext Js, INatsKVStore Definitions)> _declared = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private NatsConnection? _connection;
    private INatsKVStore? _directory;
    private INatsKVStore? _claims;
    private Task[] _loops = [];
    private long _nextOutcome;
    private readonly SemaphoreSlim _resumed = new(0);

    public NatsDispatcher(TransportContext context, NatsTransport transport)
    {
        _coordinator = context.Coordinator;
        _scheduler = _coordinator.Scheduler;
        _cache = context.Cache;
        _starter = new EnqueueStarter(_coordinator, _cache);
        _onWorkerLost = context.OnWorkerLost;
        _store = context.Store;
        _time = context.Time;
        _transport = transport;
        _scheduler.Distributed = true;
    }

    public string Name => $"NATS transport {_transport.Describe()} (dispatch, publish, collect)";

    public void Start()
    {
        if (_loops.Length > 0)
        {
            return;
        }

        _connection = NatsSetup.Connect(_transport, "weft-scheduler");
        _loops = [Task.Run(_starter.LoopAsync), Task.Run(DeclareAsync), Task.Run(PublishLoopAsync), Task.Run(CollectLoopAsync), Task.Run(AckLoopAsync), Task.Run(CancelLoopAsync)];
    }

    public async Task StopAsync()
    {
        if (_loops.Length == 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _starter.Stop();
        _outbox.Writer.TryComplete();
        _acks.Writer.TryComplete();
        _cancels.Writer.TryComplete();
        await Task.WhenAll(_loops).ConfigureAwait(false);
        _loops = [];
        if (_connection is { } connection)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    public int TakeIdle(int ready) => _starter.TakeIdle(ready);

    public void Wake(int count) => _starter.Wake(count);

    /// <summary>While this scheduler's leadership of a PostgreSQL cluster has lapsed it starts no task and
    /// takes in no outcome (another scheduler may be taking over: outcomes are left to whoever leads);
    /// on resuming it goes on where it was.</summary>
    public void Suspend(bool suspended)
    {
        _starter.Suspended = suspended;
        if (!suspended)
        {
            _resumed.Release();
        }
    }

    public PoolStatus Status() => PoolStatus.Empty;

    /// <summary>The workers in the <see cref="NatsNames.WorkerBucket"/> bucket, judged on this engine's clock.</summary>
    public async ValueTask<IReadOnlyList<WorkerInfo>?> ListWorkersAsync(CancellationToken cancellationToken)
    {
        await _declared.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        _directory ??= await NatsWorkerDirectory.DeclareAsync(_connection!, _transport.Names, cancellationToken).ConfigureAwait(false);
        return await NatsWorkerDirectory.ListAsync(_directory, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    public Task BeginDrain() => Task.CompletedTask;

    /// <summary>A run taken up from the store (after this scheduler or another one stopped): each of its tasks
    /// recorded running keeps its attempt, whose outcome is still to come over NATS, and that attempt's task
    /// message is published again under its message id. JetStream drops the repeat when the first one was
    /// stored within its duplicate window (the attempt waits for a worker, runs, or has reported), and
    /// stores it when the scheduler stopped between recording the start and publishing it.</summary>
    public ValueTask<Func<int, bool>?> AdoptionForAsync(RunExecution run, CancellationToken cancellationToken)
    {
        var adopted = new HashSet<int>();
        var republish = new List<TaskMessage>();
        lock (_coordinator.Gate)
        {
            for (var task = 0; task < run.Slots.Length; task++)
            {
                ref readonly var slot = ref run.Slots[task];
                if (slot.State != TaskState.Running || slot.Attempts < 1)
                {
                    continue;
                }

                adopted.Add(task);
                republish.Add(new TaskMessage
                {
                    RunId = run.RunId,
                    TaskId = run.TaskId(task),
                    Attempt = slot.Attempts,
                    Queue = run.TaskDef(task).Queue ?? "default",
                    DefinitionHash = "",
                    Payload = TaskPayload.Build(run, task),
                });
            }
        }

        if (republish.Count > 0)
        {
            var written = _definitions.Write(run.Plan.Definition);
            foreach (var task in republish)
            {
                _outbox.Writer.TryWrite((task with { DefinitionHash = written.Hash }, written.Json));
            }
        }

        return ValueTask.FromResult<Func<int, bool>?>(adopted.Contains);
    }

    /// <summary>After a journal batch is committed: its tasks may now be published, its outcomes acked.</summary>
    public void Committed(List<StoreChange> batch)
    {
        List<(TaskMessage Task, WorkflowDefinition Definition)>? publish = null;
        FollowUp? follow = null;
        var completed = false;
        lock (_coordinator.Gate)
        {
            foreach (var change in batch)
            {
                if (change.Kind == StoreChangeKind.CancelQueued)
                {
                    _cancels.Writer.TryWrite(change.RunId);
                }
                else if (change.Kind == StoreChangeKind.Dequeue)
                {
                    if (_uncommitted.TryRemove(change.QueueId, out var message))
                    {
                        _acks.Writer.TryWrite(message);
                    }
                }
                else if (change.Kind == StoreChangeKind.Enqueue
                    && _coordinator.Runs.TryGetValue(change.RunId, out var run)
                    && run.RunningAttempt(change.TaskId!, change.Attempt) is { } item)
                {
                    if (run.CancelRequested)
                    {
                        // Cancelled before it was sent: no worker ever sees it.
                        _scheduler.Complete(item, TaskOutcome.Cancelled("cancelled before it was sent to a worker"));
                        completed = true;
                        continue;
                    }

                    (publish ??= []).Add((new TaskMessage
                    {
                        RunId = change.RunId,
                        TaskId = change.TaskId!,
                        Attempt = change.Attempt,
                        Queue = change.Queue ?? "default",
                        DefinitionHash = "",
                        Payload = change.Payload,
                    }, run.Plan.Definition));
                }
            }

            if (completed)
            {
                follow = _coordinator.TakeFollowUp();
            }
        }

        if (follow is { } changed)
        {
            _coordinator.Apply(changed);
        }

        foreach (var (task, definition) in publish ?? [])
        {
            var written = _definitions.Write(definition); // once per definition object
            _outbox.Writer.TryWrite((task with { DefinitionHash = written.Hash }, written.Json));
        }
    }

    /// <summary>Declares the streams and bucket, retrying with back-off until the server answers.</summary>
    private async Task DeclareAsync()
    {
        var token = _stop.Token;
        var retry = new Backoff();
        while (!token.IsCancellationRequested)
        {
            try
            {
                _declared.TrySetResult(await NatsSetup.DeclareAsync(_connection!, _transport.Names, token).ConfigureAwait(false));
                return;
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                // A refusal is said as one (credentials may be fixed on the server meanwhile, so it retries too).
                Log(NatsCredentials.IsRefusal(ex)
                    ? $"{NatsCredentials.RefusalMessage(_transport, ex)}; retrying in {retry.Next.TotalMilliseconds:0} ms"
                    : $"NATS {_transport.Describe()} not ready ({ex.Message}); retrying in {retry.Next.TotalMilliseconds:0} ms");
                if (!await retry.WaitAsync(token).ConfigureAwait(false))
                {
                    break;
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        _declared.TrySetCanceled(token);
    }

    /// <summary>Publishes committed tasks, each definition first (once per hash). Up to
    /// <see cref="PublishWindow"/> publishes are in flight at once: awaiting each one's acknowledgement before
    /// sending the next held the scheduler to one task per round trip. They are started in the scheduler's
    /// order (priorities); a publish JetStream did not confirm is retried on its own (the message id makes a
    /// repeat harmless).</summary>
    private async Task PublishLoopAsync()
    {
        var token = _stop.Token;
        var inFlight = new List<Task>(PublishWindow);
        try
        {
            var (js, definitions) = await _declared.Task.ConfigureAwait(false);
            var reader = _outbox.Reader;
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (inFlight.Count < PublishWindow && reader.TryRead(out var next))
                {
                    var (task, json) = next;
                    if (!_storedDefinitions.Contains(task.DefinitionHash))
                    {
                        // Before the tasks that name it: a worker reads it when it takes the first one.
                        await PutDefinitionAsync(definitions, task.DefinitionHash, json, token).ConfigureAwait(false);
                        _storedDefinitions.Add(task.DefinitionHash);
                    }

                    inFlight.Add(PublishTaskAsync(js, task, token));
                }

                await Task.WhenAll(inFlight).ConfigureAwait(false);
                inFlight.Clear();
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    // Tasks published without waiting for the one before: enough to keep the NATS connection busy, few
    // enough that a NATS server that stops answering holds little more than this in retries.
    private const int PublishWindow = 256;

    private async Task PutDefinitionAsync(INatsKVStore definitions, string hash, string json, CancellationToken token)
    {
        var retry = new Backoff();
        while (true)
        {
            try
            {
                await definitions.PutAsync(hash, System.Text.Encoding.UTF8.GetBytes(json), cancellationToken: token).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                Log($"storing definition {hash} failed ({ex.Message}); retrying");
                if (!await retry.WaitAsync(token).ConfigureAwait(false))
                {
                    throw new OperationCanceledException(token);
                }
            }
        }
    }

    private async Task PublishTaskAsync(INatsJSContext js, TaskMessage task, CancellationToken token)
    {
        var data = JsonSerializer.SerializeToUtf8Bytes(task, NatsJson.Default.TaskMessage);
        var id = NatsNames.OutcomeId(task.RunId, task.TaskId, task.Attempt);
        var subject = _transport.Names.TaskSubject(task.Queue);
        var retry = new Backoff();
        while (true)
        {
            try
            {
                await NatsSetup.PublishStoredAsync(js, subject, data, id, token).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                Log($"publishing {task.RunId}/{task.TaskId} (attempt {task.Attempt}) failed ({ex.Message}); retrying");
                if (!await retry.WaitAsync(token).ConfigureAwait(false))
                {
                    throw new OperationCanceledException(token);
                }
            }
        }
    }

    private async Task CollectLoopAsync()
    {
        var token = _stop.Token;
        var retry = new Backoff();
        try
        {
            var (js, _) = await _declared.Task.ConfigureAwait(false);
            while (!token.IsCancellationRequested)
            {
                try
                {
                    while (_starter.Suspended)
                    {
                        await _resumed.WaitAsync(TimeSpan.FromSeconds(1), token).ConfigureAwait(false);
                    }

                    var consumer = await js.CreateOrUpdateConsumerAsync(
                        _transport.Names.ResultStream,
                        new ConsumerConfig(_transport.Names.SchedulerConsumer) { AckPolicy = ConsumerConfigAckPolicy.Explicit, AckWait = ResultAckWait, MaxAckPending = 100_000 },
                        token).ConfigureAwait(false);
                    await foreach (var message in consumer.ConsumeAsync<byte[]>(opts: ConsumeOpts, cancellationToken: token).ConfigureAwait(false))
                    {
                        retry = new Backoff();
                        if (_starter.Suspended)
                        {
                            // Offered again at once to whoever leads by then (this scheduler once it leads again).
                            await message.NakAsync(cancellationToken: token).ConfigureAwait(false);
                            break;
                        }

                        if (Collect(message) is { } unheld)
                        {
                            await SettleUnheldAsync(message, unheld, token).ConfigureAwait(false);
                        }
                    }
                }
                catch (Exception ex) when (!token.IsCancellationRequested)
                {
                    Log($"reading outcomes from NATS failed ({ex.Message}); retrying");
                    if (!await retry.WaitAsync(token).ConfigureAwait(false))
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    /// <summary>An outcome for a run this scheduler does not hold: stale when the store has the run finished
    /// (or not at all), and acked; otherwise the run is still to be taken up (this scheduler just started,
    /// or another one holds it), so the outcome comes back a little later rather than being lost.</summary>
    private async Task SettleUnheldAsync(INatsJSMsg<byte[]> message, string runId, CancellationToken token)
    {
        try
        {
            var stored = await _store.GetRunAsync(runId, token).ConfigureAwait(false);
            if (stored is not null && !stored.State.IsFinal())
            {
                await message.NakAsync(new AckOpts { NakDelay = UnheldRetry }, token).ConfigureAwait(false);
                return;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Neither acked nor nak'd: JetStream offers it again after its ack wait.
            Log($"an outcome of run {runId} waits: the store could not say whether the run is finished ({ex.Message})");
            return;
        }

        _acks.Writer.TryWrite(message);
    }

    // Takes one outcome message (one outcome, or a worker's batch of one run's outcomes) into the scheduler in
    // one locked step; its ack waits for the journal. Returns the run id when the outcomes are of a run this
    // scheduler does not hold (see SettleUnheldAsync).
    private string? Collect(INatsJSMsg<byte[]> message)
    {
        var outcomes = ReadOutcomes(message.Data);
        var ackNow = false;
        string? unheld = null;
        List<OutcomeMessage>? lost = null;
        List<(WorkItem Item, string Key, TaskOutcome Outcome)>? remember = null;
        FollowUp follow;
        lock (_coordinator.Gate)
        {
            if (_coordinator.Stopping)
            {
                return null; // not acked: the next scheduler takes it
            }

            if (outcomes is null)
            {
                ackNow = true; // unreadable: nothing can ever use it
            }
            else if (!_coordinator.Runs.TryGetValue(outcomes[0].RunId, out var run))
            {
                unheld = outcomes[0].RunId;
            }
            else
            {
                foreach (var outcome in outcomes)
                {
                    if (run.RunningAttempt(outcome.TaskId, outcome.Attempt) is not { } item)
                    {
                        continue; // not the running attempt: a duplicate or a stale report, dropped
                    }

                    run.Slots[item.Task].Worker = outcome.LostWorker ?? outcome.Worker;
                    if (outcome.WorkerLost)
                    {
                        var who = outcome.LostWorker is { } lostWorker ? $"worker '{lostWorker}'" : "the worker running this attempt";
                        _scheduler.WorkerLost(item, $"{Scheduler.WorkerLostPrefix}: {who} stopped extending its lease (found by worker '{outcome.Worker}')", crashed: true, _transport.QuarantineAfter);
                        (lost ??= []).Add(outcome);
                    }
                    else if (outcome.Status == TaskOutcomeStatus.Interrupted)
                    {
                        _scheduler.WorkerLost(item, $"interrupted: worker '{outcome.Worker}' stopped before finishing ({outcome.Error})", crashed: false, _transport.QuarantineAfter);
                    }
                    else
                    {
                        var result = outcome.ToOutcome();
                        ref var slot = ref run.Slots[item.Task];
                        if (slot.CacheKey is { } key)
                        {
                            slot.CacheKey = null;
                            (remember ??= []).Add((item, key, result));
                        }

                        _scheduler.Complete(item, result);
                    }
                }

                var id = ++_nextOutcome;
                _uncommitted[id] = message;
                _scheduler.Journal!.Add(new StoreChange { Kind = StoreChangeKind.Dequeue, RunId = run.RunId, QueueId = id });

                // What these outcomes made ready is started in this same step: the journal commits it with the
                // outcomes, and the next tasks are published as the message is acked (one commit per hop).
                _starter.StartReady();
            }

            follow = _coordinator.TakeFollowUp();
        }

        _coordinator.Apply(follow);

        if (ackNow)
        {
            _acks.Writer.TryWrite(message);
        }

        foreach (var (item, key, outcome) in remember ?? [])
        {
            _cache.RememberIfCacheable(item, key, outcome);
        }

        foreach (var outcome in lost ?? [])
        {
            Log($"an attempt of {outcome.RunId}/{outcome.TaskId} (attempt {outcome.Attempt}) lost its worker; the task runs again");
            _onWorkerLost("a worker", $"lost while running {outcome.RunId}/{outcome.TaskId} (attempt {outcome.Attempt})");
        }

        return unheld;
    }

    /// <summary>The outcomes of one message: one outcome (an object), or a worker's batch (an array of one run's
    /// outcomes, see <see cref="OutcomeBatcher"/>); null when it is neither.</summary>
    private List<OutcomeMessage>? ReadOutcomes(byte[]? data)
    {
        try
        {
            if (data is not { Length: > 0 })
            {
                return null;
            }

            if (data[0] != (byte)'[')
            {
                return JsonSerializer.Deserialize(data, NatsJson.Default.OutcomeMessage) is { } one ? [one] : null;
            }

            var batch = JsonSerializer.Deserialize(data, NatsJson.Default.ListOutcomeMessage);
            if (batch is not { Count: > 0 } || batch.Any(o => o is null || o.RunId != batch[0].RunId))
            {
                Log("dropped an outcome batch that was empty or mixed runs");
                return null;
            }

            return batch;
        }
        catch (JsonException ex)
        {
            Log($"dropped an unreadable outcome message ({ex.Message})");
            return null;
        }
    }

    /// <summary>Tells every worker that a run was cancelled (once its cancel is committed): a worker running
    /// one of its attempts cancels it, one that pulls a task of it later does not run it. Then ends the
    /// attempts no worker has begun (see <see cref="EndUnbegunAsync"/>).</summary>
    private async Task CancelLoopAsync()
    {
        await foreach (var runId in _cancels.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await _connection!.PublishAsync(_transport.Names.CancelSubject, System.Text.Encoding.UTF8.GetBytes(runId)).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Its attempts then run to their end; the run still ends cancelled when they return.
                Log($"announcing the cancel of run {runId} failed ({ex.Message})");
            }

            await EndUnbegunAsync(runId).ConfigureAwait(false);
        }
    }

    /// <summary>A cancelled run's attempts that wait in JetStream would otherwise keep the run from ending until
    /// some worker pulls them (none may be up). The scheduler claims each attempt itself in the claims bucket:
    /// where that succeeds no worker has begun the attempt and none will (a worker that pulls it later finds the
    /// claim and reports it lost, an outcome dropped as stale), so it ends cancelled now. Where a worker holds
    /// the claim, that worker's outcome ends it.</summary>
    private async Task EndUnbegunAsync(string runId)
    {
        var token = _stop.Token;
        var attempts = new List<(string TaskId, int Attempt)>();
        lock (_coordinator.Gate)
        {
            if (!_coordinator.Runs.TryGetValue(runId, out var run))
            {
                return;
            }

            for (var task = 0; task < run.Slots.Length; task++)
            {
                ref readonly var slot = ref run.Slots[task];
                if (slot.State == TaskState.Running && slot.Attempts >= 1)
                {
                    attempts.Add((run.TaskId(task), slot.Attempts));
                }
            }
        }

        if (attempts.Count == 0)
        {
            return;
        }

        var ended = new List<(string TaskId, int Attempt)>();
        try
        {
            await _declared.Task.WaitAsync(token).ConfigureAwait(false);
            _claims ??= await NatsSetup.DeclareClaimsAsync(_connection!, _transport.Names, token).ConfigureAwait(false);
            foreach (var (taskId, attempt) in attempts)
            {
                var claimed = await _claims.TryCreateAsync(NatsNames.ClaimKey(runId, taskId, attempt), ClaimValue.CancelledByScheduler(), cancellationToken: token).ConfigureAwait(false);
                if (claimed.Success)
                {
                    ended.Add((taskId, attempt));
                }
            }
        }
        catch (Exception ex) when (!token.IsCancellationRequested)
        {
            // What was not claimed ends when a worker reports it.
            Log($"ending the not yet begun attempts of cancelled run {runId} failed ({ex.Message})");
        }
        catch (OperationCanceledException)
        {
            return;
        }

        FollowUp follow;
        lock (_coordinator.Gate)
        {
            if (_coordinator.Stopping || !_coordinator.Runs.TryGetValue(runId, out var run))
            {
                return;
            }

            foreach (var (taskId, attempt) in ended)
            {
                if (run.RunningAttempt(taskId, attempt) is { } item)
                {
                    _scheduler.Complete(item, TaskOutcome.Cancelled("cancelled before a worker took it"));
                }
            }

            follow = _coordinator.TakeFollowUp();
        }

        _coordinator.Apply(follow);
    }

    private async Task AckLoopAsync()
    {
        await foreach (var message in _acks.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await message.AckAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Not acked: JetStream redelivers it after its ack wait, and it is then a duplicate.
                Log($"acking an outcome failed ({ex.Message})");
            }
        }
    }

    private void Log(string message) => _transport.OnLog?.Invoke(message);
}
