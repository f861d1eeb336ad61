using System.Collections.Concurrent;
using System.Text.Json;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Client.KeyValueStore;
using NATS.Net;
using Weft.Cluster;
using Weft.Definitions;
using Weft.Execution;
using Weft.Handlers;
using Weft.Storage;

namespace Weft.Nats;

/// <summary>A worker of a NATS cluster (<c>weft worker --transport nats://…</c>): it needs no store.
/// For each of its queues it pulls from the queue's durable consumer (shared by every worker of the
/// queue), runs the attempt with the same executor and handlers as every other worker, publishes the
/// outcome to the result stream, and acks the task only once JetStream has stored the outcome.
///
/// <para>A delivery's ack wait is the task's lease (<see cref="ClusterWorkerOptions.LeaseFor"/>); while the
/// attempt runs the worker extends it every <see cref="ClusterWorkerOptions.HeartbeatEvery"/> (in-progress
/// acks). A worker that dies stops extending it: JetStream redelivers the task, and the worker that gets
/// it reports that attempt as lost instead of running it, so the scheduler runs a new attempt marked
/// "worker lost" (counted for quarantine, no retry used).</para></summary>
public sealed class NatsWorker : IAsyncDisposable
{
    /// <summary>How long a run announced cancelled is remembered for tasks of it pulled later.</summary>
    private static readonly TimeSpan CancelMemory = TimeSpan.FromMinutes(10);

    private readonly ClusterWorkerOptions _options;
    private readonly TimeProvider _time;
    private readonly WorkerAttempts _attempts;
    private readonly SemaphoreSlim _slots;
    private readonly DefinitionCache _definitions = new();
    private readonly SemaphoreSlim _definitionReads = new(1);
    private readonly ConcurrentDictionary<string, Dictionary<string, TaskDefinition>> _tasksByHash = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly TakenAttempts _taken;
    private readonly NatsNames _names;
    private readonly CancellationTokenSource _stopPulling = new();
    private readonly CancellationTokenSource _interrupt = new();
    private readonly CancellationTokenSource _stopListening = new();
    private readonly CancellationTokenSource _stopHeartbeat = new();

    // Attempts running now, with the run they belong to, so a cancel announced for the run reaches them.
    private readonly ConcurrentDictionary<CancellationTokenSource, string> _attemptRuns = new();

    // Runs announced cancelled (with when): a task of one pulled later is reported cancelled, not run.
    private readonly ConcurrentDictionary<string, long> _cancelledRuns = new(StringComparer.Ordinal);
    private Task _cancelListener = Task.CompletedTask;
    private readonly Lock _gate = new();
    private NatsConnection? _connection;
    private INatsJSContext? _js;
    private INatsKVStore? _definitionBucket;
    private INatsKVStore? _claims;
    private INatsKVStore? _directory;
    private Task _heartbeat = Task.CompletedTask;
    private DateTimeOffset _startedAt;
    private Task[] _pullLoops = [];
    private OutcomeBatcher? _outcomes;
    private Task? _stopping;
    private volatile bool _abandoned;
    private long _completed;
    private long _firstTaskUtcTicks; // 0 until a pull returned a task

    private NatsWorker(ClusterWorkerOptions options, NatsNames names)
    {
        _options = options;
        _names = names;
        _time = options.TimeProvider;
        _attempts = new WorkerAttempts(options.Name, options);
        _slots = new SemaphoreSlim(options.Slots);
        _taken = new TakenAttempts(_time);
    }

    /// <summary>The worker's name, as attempts record it.</summary>
    public string Name => _options.Name;

    /// <summary>Outcomes this worker has published and acked.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>When the first pull that returned a task came back; null before (weft bench's start to first claim).</summary>
    internal DateTimeOffset? FirstTaskUtc => Interlocked.Read(ref _firstTaskUtcTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Validates <paramref name="options"/> (throws <see cref="WeftConfigurationException"/> with every
    /// error), connects, declares the streams and each queue's consumer, and starts pulling.</summary>
    public static Task<NatsWorker> StartAsync(string url, ClusterWorkerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        return StartAsync(new NatsTransport(url), options, cancellationToken);
    }

    /// <summary>Behind <see cref="NatsTransport.StartWorkerAsync"/>.</summary>
    internal static async Task<NatsWorker> StartAsync(NatsTransport transport, ClusterWorkerOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new WeftConfigurationException(errors);
        }

        var worker = new NatsWorker(options, transport.Names);
        worker._connection = NatsSetup.Connect(transport, "weft-worker-" + options.Name);
        var retry = new Backoff();
        while (true)
        {
            try
            {
                // Seven requests to JetStream, most of them the first of their kind in this process (their
                // code loads as they go, on both cores when asked together). All are asked in one round: each
                // queue's consumer too, before its stream is known to exist (it is, unless this worker is the
                // cluster's first process; then the consumer is asked again once the stream is declared).
                await worker._connection.ConnectAsync().ConfigureAwait(false);
                var js = worker._connection.CreateJetStreamContext();
                var declared = NatsSetup.DeclareAsync(worker._connection, worker._names, cancellationToken);
                var claims = NatsSetup.DeclareClaimsAsync(worker._connection, worker._names, cancellationToken);
                var directory = NatsWorkerDirectory.DeclareAsync(worker._connection, worker._names, cancellationToken);
                worker._startedAt = worker._time.GetUtcNow();
                var listed = ListAsync(directory, NatsWorkerDirectory.RecordOf(options, worker._startedAt, stopped: false), cancellationToken);
                var declaringConsumers = Task.WhenAll(options.Queues.Distinct(StringComparer.Ordinal).Select(queue => DeclareConsumerAsync(
                    js,
                    declared,
                    worker._names.TaskStream,
                    new ConsumerConfig(worker._names.WorkerConsumer(queue))
                    {
                        FilterSubject = worker._names.TaskSubject(queue),
                        AckPolicy = ConsumerConfigAckPolicy.Explicit,
                        AckWait = options.LeaseFor,
                        MaxAckPending = -1,
                    },
                    cancellationToken)));

                // Every one awaited, so that a failure of any is seen (and the retry below declares again).
                await Task.WhenAll(declared, claims, directory, listed, declaringConsumers).ConfigureAwait(false);
                (worker._js, worker._definitionBucket) = await declared.ConfigureAwait(false);
                worker._claims = await claims.ConfigureAwait(false);
                worker._directory = await directory.ConfigureAwait(false);
                var consumers = await declaringConsumers.ConfigureAwait(false);
                worker._outcomes = new OutcomeBatcher(
                    (id, data) => NatsSetup.PublishStoredAsync(js, worker._names.ResultSubject, data, id, CancellationToken.None),
                    () => worker._abandoned,
                    message => options.OnLog?.Invoke($"worker '{options.Name}': {message}"),
                    options.Name);
                worker._cancelListener = Task.Run(worker.ListenForCancelsAsync, CancellationToken.None);
                worker._heartbeat = Task.Run(worker.HeartbeatAsync, CancellationToken.None);
                worker._pullLoops = [.. consumers.Select(c => Task.Run(() => worker.PullLoopAsync(c), CancellationToken.None))];
                break;
            }
            catch (Exception ex) when (NatsCredentials.IsRefusal(ex))
            {
                await worker._connection.DisposeAsync().ConfigureAwait(false);
                throw new WeftConfigurationException([$"worker '{options.Name}': {NatsCredentials.RefusalMessage(transport, ex)}"]);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                options.OnLog?.Invoke($"worker '{options.Name}': NATS {transport.Describe()} not ready ({ex.Message}); retrying");
                if (!await retry.WaitAsync(cancellationToken).ConfigureAwait(false))
                {
                    await worker._connection.DisposeAsync().ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
        }

        options.OnLog?.Invoke($"worker '{options.Name}' started on NATS {transport.Describe()}: {options.Slots} slots, queues {string.Join(", ", options.Queues)}");
        return worker;
    }

    private static async Task ListAsync(Task<INatsKVStore> directory, WorkerRecord record, CancellationToken token) =>
        await NatsWorkerDirectory.PutAsync(await directory.ConfigureAwait(false), record, token).ConfigureAwait(false);

    /// <summary>A queue's consumer, asked for before its stream is known to be declared: when the stream is
    /// missing or not yet as this version declares it (the creation is refused), asked again once it is.</summary>
    private static async Task<INatsJSConsumer> DeclareConsumerAsync(INatsJSContext js, Task declared, string stream, ConsumerConfig wanted, CancellationToken token)
    {
        try
        {
            return await js.CreateOrUpdateConsumerAsync(stream, wanted, token).ConfigureAwait(false);
        }
        catch (NatsJSException)
        {
            await declared.ConfigureAwait(false);
            return await NatsDeclarations.EnsureConsumerAsync(js, stream, wanted, token).ConfigureAwait(false);
        }
    }

    /// <summary>Stops gracefully: stops pulling, lets running attempts finish for up to <paramref name="drain"/>,
    /// then cancels the rest and reports them interrupted (they run again elsewhere without using a retry).</summary>
    public Task StopAsync(TimeSpan drain)
    {
        lock (_gate)
        {
            return _stopping ??= StopCoreAsync(drain);
        }
    }

    /// <summary>Stops at once: tasks still running are handed back, not waited for.</summary>
    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.Zero).ConfigureAwait(false);

    /// <summary>Leaves as a killed process would: nothing more is published or acked, the connection
    /// closes; the tasks it held come back to other workers once their ack wait passes. For tests of
    /// worker loss inside one process.</summary>
    internal async Task AbandonAsync()
    {
        _abandoned = true;
        lock (_gate)
        {
            _stopping ??= Task.CompletedTask;
        }

        await _stopPulling.CancelAsync().ConfigureAwait(false);
        await _interrupt.CancelAsync().ConfigureAwait(false);
        await _stopListening.CancelAsync().ConfigureAwait(false);
        await _stopHeartbeat.CancelAsync().ConfigureAwait(false);
        await _connection!.DisposeAsync().ConfigureAwait(false);
        await _cancelListener.ConfigureAwait(false);
        await _heartbeat.ConfigureAwait(false);
        await Task.WhenAll(_pullLoops).ConfigureAwait(false);
        await Task.WhenAll(_running.Keys).ConfigureAwait(false);
        _outcomes!.Complete();
        await _outcomes.Loop.ConfigureAwait(false);
    }

    private async Task StopCoreAsync(TimeSpan drain)
    {
        await _stopPulling.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_pullLoops).ConfigureAwait(false);
        var running = Task.WhenAll(_running.Keys);
        if (drain > TimeSpan.Zero && !running.IsCompleted)
        {
            await Task.WhenAny(running, Task.Delay(drain, _time)).ConfigureAwait(false);
        }

        await _interrupt.CancelAsync().ConfigureAwait(false);
        await running.ConfigureAwait(false);
        _outcomes!.Complete();
        await _outcomes.Loop.ConfigureAwait(false);
        await _stopListening.CancelAsync().ConfigureAwait(false);
        await _cancelListener.ConfigureAwait(false);
        await _stopHeartbeat.CancelAsync().ConfigureAwait(false);
        await _heartbeat.ConfigureAwait(false);
        try
        {
            // Listed as stopped (not lost) until the record expires.
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await NatsWorkerDirectory.PutAsync(_directory!, NatsWorkerDirectory.RecordOf(_options, _startedAt, stopped: true), bounded.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _options.OnLog?.Invoke($"worker '{Name}': could not mark itself stopped in NATS ({ex.Message}); it shows as lost once its lease passes");
        }

        await _connection!.DisposeAsync().ConfigureAwait(false);
        _options.OnLog?.Invoke($"worker '{Name}' stopped");
    }

    /// <summary>Takes the free slots, then asks the queue for that many tasks in one pull request, starting
    /// each as it arrives: a task waits in JetStream, not here, until a slot is free, so its lease does not
    /// run down while it waits, and a worker never holds more deliveries than it has free slots. A slot freed
    /// while a pull is still open (waiting for the rest of its tasks) starts a pull of its own at once, up to
    /// <see cref="MaxPullsOpen"/> at a time, so a worker is never short of tasks while its earlier pull waits.
    ///
    /// <para>A delivery can still be lost on the way (a NATS server restarting as it sends one to a pull the
    /// client then gives up on): JetStream sends it again after its lease, and since nobody claimed its attempt
    /// (<see cref="ClaimAsync"/>) it runs then as that attempt, not as a "worker lost" one.</para></summary>
    private async Task PullLoopAsync(INatsJSConsumer consumer)
    {
        var token = _stopPulling.Token;
        var open = new SemaphoreSlim(MaxPullsOpen);
        var pulls = new ConcurrentDictionary<Task, byte>();
        var failures = new PullFailures();
        while (!token.IsCancellationRequested)
        {
            try
            {
                await open.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            try
            {
                await _slots.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                open.Release();
                break;
            }

            var free = 1;
            while (free < MaxPull && _slots.Wait(0))
            {
                free++;
            }

            var pull = PullAsync(consumer, free, failures, token);
            pulls.TryAdd(pull, 0);
            _ = pull.ContinueWith(
                t =>
                {
                    pulls.TryRemove(t, out _);
                    open.Release();
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        await Task.WhenAll(pulls.Keys).ConfigureAwait(false);
    }

    // The most tasks one pull asks for; how many pulls of a queue may be open at once; how long a pull waits
    // for its tasks: short enough that slots reserved for tasks that did not come go back to the next pull
    // within seconds, and that a pull lost in a NATS restart is replaced soon.
    private const int MaxPull = 256;
    private const int MaxPullsOpen = 4;
    private static readonly TimeSpan PullExpiry = TimeSpan.FromSeconds(5);

    /// <summary>One pull request for <paramref name="free"/> tasks (slots already taken); starts each task as it
    /// arrives and gives back the slots of those that did not come.</summary>
    private async Task PullAsync(INatsJSConsumer consumer, int free, PullFailures failures, CancellationToken token)
    {
        var started = 0;
        try
        {
            // Returns when `free` tasks came or the pull expired; tasks published meanwhile come to it.
            var pull = new NatsJSFetchOpts { MaxMsgs = free, Expires = PullExpiry };
            await foreach (var task in consumer.FetchAsync<byte[]>(pull, cancellationToken: token).ConfigureAwait(false))
            {
                failures.Succeeded();
                Interlocked.CompareExchange(ref _firstTaskUtcTicks, _time.GetUtcNow().UtcTicks, 0);
                var run = RunAsync(task);
                started++;
                _running.TryAdd(run, 0);
                _ = run.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            failures.Succeeded();
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // The pull keeps its place among the open ones while it waits, so a server that is away is not
            // asked again by every free slot at once.
            if (failures.Failed())
            {
                _options.OnLog?.Invoke($"worker '{Name}': pulling tasks failed ({ex.Message}); retrying");
            }

            await failures.Retry.WaitAsync(token).ConfigureAwait(false);
        }
        finally
        {
            // Each started task gives its slot back when it ends; the rest go back now.
            if (free > started)
            {
                _slots.Release(free - started);
            }
        }
    }

    /// <summary>The pulls of one queue failing in a row: one log line per outage, one growing pause shared by them.</summary>
    private sealed class PullFailures
    {
        private int _failing;

        public Backoff Retry { get; private set; } = new();

        /// <summary>True for the first failure since pulls last worked.</summary>
        public bool Failed() => Interlocked.Exchange(ref _failing, 1) == 0;

        public void Succeeded()
        {
            if (Interlocked.Exchange(ref _failing, 0) == 1)
            {
                Retry = new Backoff();
            }
        }
    }

    private async Task RunAsync(INatsJSMsg<byte[]> message)
    {
        string? attempt = null;
        try
        {
            await Task.Yield();
            TaskMessage? task;
            try
            {
                task = message.Data is { } data ? JsonSerializer.Deserialize(data, NatsJson.Default.TaskMessage) : null;
            }
            catch (JsonException)
            {
                task = null;
            }

            if (task is null)
            {
                // Not a task of this version of Weft: nothing can run it, and keeping it would block nothing but itself.
                _options.OnLog?.Invoke($"worker '{Name}': dropped an unreadable task message");
                await message.AckTerminateAsync().ConfigureAwait(false);
                return;
            }

            attempt = NatsNames.OutcomeId(task.RunId, task.TaskId, task.Attempt);
            if (!_taken.TryTake(attempt))
            {
                // A second delivery of an attempt this worker has: while it still runs here, the first
                // delivery's lease extensions and ack cover both (JetStream acks by stream sequence); once its
                // outcome is stored, this copy is spent.
                if (!_taken.IsRunning(attempt))
                {
                    await message.AckAsync().ConfigureAwait(false);
                }

                attempt = null;
                return;
            }

            OutcomeMessage outcome;
            var (claim, other) = await ClaimAsync(task).ConfigureAwait(false);
            if (claim is not null)
            {
                outcome = OutcomeMessage.Of(task, Name, await RunWithLeaseAsync(message, task, claim).ConfigureAwait(false));
            }
            else if (other.StillHeld)
            {
                // Another worker began it and still writes its claim: this is a second delivery of an attempt that
                // runs there (nats-server 2.9 hands deliveries out again after a restart). Left unacked: the
                // holder's lease extensions and ack cover it (JetStream acks by stream sequence); if the holder
                // stops, it comes again after the lease and finds the claim old.
                return;
            }
            else
            {
                // Whoever had it before began it and stopped extending its lease: report that attempt lost
                // rather than run it again under the same number; the scheduler decides on a new attempt.
                // The claim decides, not the delivery count: a delivery lost on its way to a worker (a NATS
                // server restarting as it sent it) comes again with a count of 2, and nobody began it.
                var lost = OutcomeMessage.Of(task, Name, new TaskOutcome(TaskOutcomeStatus.Interrupted) { Error = "worker lost" });
                outcome = lost with { WorkerLost = true, LostWorker = other.Holder.Length > 0 ? other.Holder : null };
            }

            if (_abandoned)
            {
                return;
            }

            await _outcomes!.StoredAsync(outcome).ConfigureAwait(false);
            await message.AckAsync().ConfigureAwait(false);
            _taken.Ended(attempt);
            attempt = null;
            Interlocked.Increment(ref _completed);
        }
        catch (Exception ex) when (_abandoned || ex is OperationCanceledException)
        {
            // Abandoned, or the connection closed under a hard stop: the task comes back after its ack wait.
        }
        catch (Exception ex)
        {
            _options.OnLog?.Invoke($"worker '{Name}': a task could not be reported ({ex.GetType().Name}: {ex.Message}); it comes back after its lease");
        }
        finally
        {
            if (attempt is not null)
            {
                _taken.Release(attempt);
            }

            _slots.Release();
        }
    }

    /// <summary>Creates the attempt's claim: the claim when this delivery is the first to begin the attempt,
    /// otherwise what the claim there says (another worker, or this one before a restart, began the attempt:
    /// it may still run it, or have stopped extending its lease).</summary>
    // The claim's value is unique to this try, so a create whose answer was lost (nats-server restarting: the
    // client then reports "key not found" or a timeout) is retried, and finding the key there afterwards tells
    // our own create from another worker's.
    private async ValueTask<(Claim? Mine, ClaimValue Other)> ClaimAsync(TaskMessage task)
    {
        var key = NatsNames.ClaimKey(task.RunId, task.TaskId, task.Attempt);
        var mine = ClaimValue.For(Name, _options.LeaseFor);
        var retry = new Backoff();
        while (true)
        {
            var claimed = await _claims!.TryCreateAsync(key, mine).ConfigureAwait(false);
            if (claimed.Success)
            {
                return (new Claim(key, mine, _time.GetTimestamp()), ClaimValue.None);
            }

            if (claimed.Error is NatsKVCreateException or NatsKVWrongLastRevisionException)
            {
                var holder = await _claims.TryGetEntryAsync<byte[]>(key).ConfigureAwait(false);
                if (!holder.Success || holder.Value.Value is not { } value)
                {
                    return (null, ClaimValue.None);
                }

                return value.AsSpan().SequenceEqual(mine)
                    ? (new Claim(key, mine, _time.GetTimestamp()), ClaimValue.None)
                    : (null, ClaimValue.Read(value, holder.Value.Created, _time.GetUtcNow()));
            }

            _options.OnLog?.Invoke($"worker '{Name}': claiming {task.RunId}/{task.TaskId} (attempt {task.Attempt}) failed ({claimed.Error.Message}); retrying");
            if (!await retry.WaitAsync(_interrupt.Token).ConfigureAwait(false))
            {
                throw claimed.Error;
            }
        }
    }

    /// <summary>An attempt's claim as this worker made it, and when it last wrote it.</summary>
    private sealed class Claim(string key, byte[] value, long writtenAt)
    {
        public string Key { get; } = key;

        public byte[] Value { get; } = value;

        public long WrittenAt { get; set; } = writtenAt;
    }

    private async Task<TaskOutcome> RunWithLeaseAsync(INatsJSMsg<byte[]> message, TaskMessage task, Claim claim)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_interrupt.Token);
        _attemptRuns[attempt] = task.RunId;
        if (_cancelledRuns.ContainsKey(task.RunId))
        {
            _attemptRuns.TryRemove(attempt, out _);
            return TaskOutcome.Cancelled("run cancelled before this worker started the task");
        }

        using var done = CancellationTokenSource.CreateLinkedTokenSource(_interrupt.Token);
        var heartbeat = ExtendLeaseAsync(message, claim, done.Token);
        TaskOutcome outcome;
        try
        {
            outcome = await ExecuteAsync(task, attempt.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            outcome = AttemptGuard.OutcomeOf(ex, attempt.Token);
        }
        finally
        {
            _attemptRuns.TryRemove(attempt, out _);
            await done.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
        }

        return _interrupt.IsCancellationRequested && !outcome.IsSuccess
            ? outcome with { Status = TaskOutcomeStatus.Interrupted, Error = "worker stopping" }
            : outcome;
    }

    /// <summary>Cancels the running attempts of each run the scheduler announces cancelled (core NATS: a
    /// worker that misses it runs the attempt to its end, and the run still ends cancelled).</summary>
    private async Task ListenForCancelsAsync()
    {
        var token = _stopListening.Token;
        var retry = new Backoff();
        while (!token.IsCancellationRequested)
        {
            try
            {
                await foreach (var cancel in _connection!.SubscribeAsync<byte[]>(_names.CancelSubject, cancellationToken: token).ConfigureAwait(false))
                {
                    if (cancel.Data is { } data)
                    {
                        CancelRun(System.Text.Encoding.UTF8.GetString(data));
                    }
                }
            }
            catch (Exception ex) when (!token.IsCancellationRequested && !_abandoned)
            {
                _options.OnLog?.Invoke($"worker '{Name}': listening for cancels failed ({ex.Message}); retrying");
                if (!await retry.WaitAsync(token).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (Exception)
            {
                return;
            }
        }
    }

    private void CancelRun(string runId)
    {
        var now = _time.GetTimestamp();
        _cancelledRuns[runId] = now;
        foreach (var (known, at) in _cancelledRuns)
        {
            if (_time.GetElapsedTime(at, now) > CancelMemory)
            {
                _cancelledRuns.TryRemove(known, out _);
            }
        }

        foreach (var (attempt, run) in _attemptRuns)
        {
            if (run == runId)
            {
                try
                {
                    attempt.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // It ended meanwhile.
                }
            }
        }
    }

    /// <summary>The worker's own liveness, apart from its tasks' leases: its record put again every
    /// <see cref="ClusterWorkerOptions.HeartbeatEvery"/>, so <c>weft workers</c> sees it alive while idle too.</summary>
    private async Task HeartbeatAsync()
    {
        var token = _stopHeartbeat.Token;
        var record = NatsWorkerDirectory.RecordOf(_options, _startedAt, stopped: false);
        using var timer = new PeriodicTimer(_options.HeartbeatEvery, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                try
                {
                    await NatsWorkerDirectory.PutAsync(_directory!, record, token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The next tick tries again (NATS may be restarting); a reader meanwhile sees the last one.
                    _options.OnLog?.Invoke($"worker '{Name}': its heartbeat failed ({ex.Message})");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The attempt's heartbeat: extends the delivery's ack wait each tick, and writes the claim again
    /// every third of the lease, so a worker given a second delivery of the attempt sees it still runs here
    /// (<see cref="ClaimValue"/>), and the claims bucket never forgets a claim while its attempt runs.</summary>
    private async Task ExtendLeaseAsync(INatsJSMsg<byte[]> message, Claim claim, CancellationToken token)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatEvery, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                try
                {
                    await message.AckProgressAsync(cancellationToken: token).ConfigureAwait(false);
                    if (_time.GetElapsedTime(claim.WrittenAt) >= ClaimValue.RewriteAfter(_options.LeaseFor))
                    {
                        await _claims!.PutAsync(claim.Key, claim.Value, cancellationToken: token).ConfigureAwait(false);
                        claim.WrittenAt = _time.GetTimestamp();
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The next tick tries again; a lease that runs out makes the attempt count as lost.
                    _options.OnLog?.Invoke($"worker '{Name}': extending a task's lease failed ({ex.Message})");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async ValueTask<TaskOutcome> ExecuteAsync(TaskMessage message, CancellationToken token)
    {
        var tasks = await DefinitionAsync(message.DefinitionHash, token).ConfigureAwait(false);
        if (tasks is null)
        {
            return TaskOutcome.Failed($"the workflow definition of run '{message.RunId}' (hash {message.DefinitionHash}) is not in NATS bucket '{_names.DefinitionBucket}'");
        }

        var (workflow, byId) = tasks.Value;
        // A map task's instance (convert[17]) runs its map task's definition.
        if (!byId.TryGetValue(Mapping.MapInstanceIds.DefinitionId(message.TaskId), out var task))
        {
            return TaskOutcome.Failed($"workflow '{workflow}' has no task '{message.TaskId}'");
        }

        return await _attempts.RunAsync(workflow, task, message.RunId, message.Attempt, message.Payload, token, message.TaskId).ConfigureAwait(false);
    }

    /// <summary>The run's workflow (name, tasks by id), read from the bucket once per hash; null when absent.</summary>
    private async ValueTask<(string Workflow, Dictionary<string, TaskDefinition> Tasks)?> DefinitionAsync(string hash, CancellationToken token)
    {
        if (!_definitions.TryGet(hash, out var definition))
        {
            // One read per hash: a worker that pulls 128 tasks of a new run at once would otherwise read the
            // run's definition 128 times at once, and under load some reads outlast the request timeout
            // (NatsNoReplyException), failing their tasks.
            await _definitionReads.WaitAsync(token).ConfigureAwait(false);
            try
            {
                if (!_definitions.TryGet(hash, out definition))
                {
                    var entry = await _definitionBucket!.TryGetEntryAsync<byte[]>(hash, cancellationToken: token).ConfigureAwait(false);
                    if (!entry.Success || entry.Value.Value is not { } json)
                    {
                        return null;
                    }

                    definition = _definitions.Remember(hash, System.Text.Encoding.UTF8.GetString(json));
                }
            }
            finally
            {
                _definitionReads.Release();
            }
        }

        var tasks = _tasksByHash.GetOrAdd(hash, _ => definition.Tasks.ToDictionary(t => t.Id, StringComparer.Ordinal));
        return (definition.Name, tasks);
    }
}
