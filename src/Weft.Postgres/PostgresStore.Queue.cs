using Npgsql;
using Weft.Cluster;
using Weft.Definitions;
using Weft.Execution;
using Weft.Storage;

namespace Weft.Postgres;

/// <summary>The task queue (table <c>queue</c>): workers claim rows with leases and record outcomes (table
/// <c>completions</c>, one per row at most); the scheduler reads outcomes and expired leases and dequeues
/// the rows it has taken into the tasks' states (DESIGN.md "TaskQueue"). Lease times are <c>now()</c> on
/// the database.
///
/// <para>Every statement here is shaped so that its plan does not depend on the tables' statistics. The
/// queue churns (a row lives for seconds), and autovacuum may ANALYZE it while it is momentarily empty
/// but many pages long: the planner then believes it holds no rows, whatever it holds later, and puts
/// it on the outer side of a join, scanning the other side once per queue row. A worker's insert of
/// 5,000 outcomes took 9.7 s that way instead of 50 ms, and W1 runs on a cluster stalled for seconds.
/// So lookups by id are per-row subqueries that cannot be flattened into joins (<c>OFFSET 0</c>), and a
/// claim's rows are chosen once (<c>ARRAY(...)</c>) and then updated by id.</para></summary>
public sealed partial class PostgresStore
{
    private const string QueuedColumns = "id, run_id, task_id, attempt, queue, definition_hash, payload, payload_flags, worker";

    /// <summary>One statement: the oldest unclaimed, uncancelled rows of the queues, skipping rows another
    /// claim has locked, so concurrent workers never block on or share a row.</summary>
    public ValueTask<IReadOnlyList<QueuedTask>> ClaimAsync(string worker, IReadOnlyList<string> queues, int max, TimeSpan leaseFor,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(worker);
        ArgumentNullException.ThrowIfNull(queues);
        if (max <= 0 || queues.Count == 0)
        {
            return new([]);
        }

        // Not retried on connection loss: a claim that committed before the connection broke would be
        // claimed twice; its lease expires and the scheduler takes it back instead.
        return RunAsync<IReadOnlyList<QueuedTask>>("claim tasks", async (c, ct) =>
        {
            // ARRAY(...) is computed once, then the rows are updated by id: as a semi-join, a planner that
            // believes the table empty (see the class summary) would scan it for every claimed id. Each
            // queue is read on its own, by equality, from queue_ready (queue, id): the index gives the
            // rows in id order and the scan stops at @max. With the queues as one ANY(...) filter, the
            // planner read every unclaimed row and sorted them for each claim.
            await using var command = Command(c, $"""
                UPDATE queue SET worker = @worker, claimed_at = now(), lease_until = now() + @lease
                WHERE id = ANY(ARRAY(
                    SELECT r.id FROM unnest(@queues) AS wanted(name)
                    CROSS JOIN LATERAL (
                        SELECT id FROM queue WHERE queue = wanted.name AND worker IS NULL AND NOT cancelled
                        ORDER BY id LIMIT @max FOR UPDATE SKIP LOCKED) r
                    ORDER BY r.id LIMIT @max))
                RETURNING {QueuedColumns}
                """);
            command.Parameters.AddWithValue("worker", worker);
            command.Parameters.AddWithValue("lease", leaseFor);
            command.Parameters.AddWithValue("queues", queues.ToArray());
            command.Parameters.AddWithValue("max", max);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var claimed = await ReadQueuedAsync(reader, ct).ConfigureAwait(false);
            if (claimed.Count > 0)
            {
                CountCommit();
            }

            return claimed;
        }, cancellationToken, idempotent: false);
    }

    /// <summary>One statement: the rows this worker holds, not started (the worker says so), not cancelled
    /// and without an outcome, become unclaimed again, then a <see cref="ClusterSignal.TasksQueued"/>
    /// NOTIFY wakes the workers waiting for work.</summary>
    public ValueTask<IReadOnlyList<long>> ReleaseAsync(string worker, IReadOnlyList<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(worker);
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return new([]);
        }

        return RunAsync<IReadOnlyList<long>>("give back tasks", async (c, ct) =>
        {
            await using var command = Command(c, """
                UPDATE queue SET worker = NULL, claimed_at = NULL, lease_until = NULL
                WHERE id = ANY(@ids) AND worker = @worker AND NOT cancelled
                    AND NOT EXISTS (SELECT 1 FROM completions d WHERE d.id = queue.id OFFSET 0)
                RETURNING id
                """);
            command.Parameters.AddWithValue("worker", worker);
            command.Parameters.AddWithValue("ids", ids.ToArray());
            var released = new List<long>();
            await using (var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    released.Add(r.GetInt64(0));
                }
            }

            if (released.Count > 0)
            {
                CountCommit();
                await using var notify = Command(c, Channels.Notify(_channels.Of1(ClusterSignal.TasksQueued)));
                await notify.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            return released;
        }, cancellationToken, idempotent: false);
    }

    /// <summary>One round trip, one transaction: every outcome inserted into <c>completions</c> if the worker
    /// still holds its row (a row taken back as lost has been deleted or given to another worker), then a
    /// <see cref="ClusterSignal.TasksCompleted"/> NOTIFY. Writing the same completion twice is harmless.
    /// An outcome whose row the scheduler took back while this insert ran outlives the row; it is never
    /// read (<see cref="ReadCompletionsAsync"/> joins the row) and is swept by <see cref="ReadLostTasksAsync"/>.</summary>
    public ValueTask CompleteAsync(IReadOnlyList<TaskCompletion> completions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completions);
        if (completions.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        var latest = new Dictionary<long, TaskCompletion>();
        foreach (var completion in completions)
        {
            latest[completion.Id] = completion;
        }

        // In queue order, so writers touching the same rows tend to lock them in the same order.
        var rows = latest.Values.OrderBy(c => c.Id).ToArray();
        var n = rows.Length;
        var output = new byte[]?[n];
        var outputFlags = new int[n];
        var stderr = new byte[]?[n];
        var stderrFlags = new int[n];
        var error = new byte[]?[n];
        var errorFlags = new int[n];
        for (var i = 0; i < n; i++)
        {
            output[i] = ChangeBatch.Encode(_codec, rows[i].Outcome.Output, out outputFlags[i]);
            stderr[i] = ChangeBatch.Encode(_codec, rows[i].Outcome.Stderr, out stderrFlags[i]);
            error[i] = ChangeBatch.Encode(_codec, rows[i].Outcome.Error, out errorFlags[i]);
        }

        return RunAsync("record task outcomes", async (c, ct) =>
        {
            await using var batch = new NpgsqlBatch(c);
            batch.BatchCommands.Add(ChangeBatch.Command("""
                INSERT INTO completions (id, run_id, task_id, attempt, worker, outcome, output, output_flags, output_truncated,
                    stderr, stderr_flags, error, exit_code, http_status, from_cache, started_at, finished_at, error_flags)
                SELECT q.id, q.run_id, q.task_id, q.attempt, q.worker, u.outcome, u.output, u.output_flags, u.output_truncated,
                    u.stderr, u.stderr_flags, u.error, u.exit_code, u.http_status, u.from_cache, u.started_at, u.finished_at, u.error_flags
                FROM unnest(@p0::bigint[], @p1::text[], @p2::text[], @p3::bytea[], @p4::int[], @p5::bool[], @p6::bytea[], @p7::int[],
                    @p8::bytea[], @p9::int[], @p10::int[], @p11::bool[], @p12::bigint[], @p13::bigint[], @p14::int[])
                    AS u(id, worker, outcome, output, output_flags, output_truncated, stderr, stderr_flags,
                        error, exit_code, http_status, from_cache, started_at, finished_at, error_flags)
                CROSS JOIN LATERAL (SELECT id, run_id, task_id, attempt, worker FROM queue WHERE id = u.id OFFSET 0) q
                WHERE q.worker = u.worker
                ORDER BY u.id
                ON CONFLICT (id) DO NOTHING
                """,
                rows.Select(r => r.Id).ToArray(), rows.Select(r => r.Worker).ToArray(), rows.Select(r => StoreColumns.Of(r.Outcome.Status)).ToArray(),
                output, outputFlags, rows.Select(r => r.Outcome.OutputTruncated).ToArray(), stderr, stderrFlags,
                error, rows.Select(r => r.Outcome.ExitCode).ToArray(),
                rows.Select(r => r.Outcome.HttpStatus).ToArray(), rows.Select(r => r.Outcome.FromCache).ToArray(),
                rows.Select(r => r.StartedAt.UtcTicks).ToArray(), rows.Select(r => r.FinishedAt.UtcTicks).ToArray(), errorFlags));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(Channels.Notify(_channels.Of1(ClusterSignal.TasksCompleted))));
            await ExecuteAsync(batch, ct).ConfigureAwait(false);
            CountCommit();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TaskCompletion>> ReadCompletionsAsync(int max, CancellationToken cancellationToken = default) =>
        ReadCompletionsExceptAsync(max, [], cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TaskCompletion>> ReadCompletionsExceptAsync(int max, IReadOnlyCollection<long> skip, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<TaskCompletion>>("read task outcomes", async (c, ct) =>
        {
            // The rows to skip are few (a commit's dequeues): PostgreSQL hashes a constant array this size.
            await using var command = Command(c, """
                SELECT d.id, d.run_id, d.task_id, d.attempt, d.worker, outcome, output, output_flags, output_truncated, stderr, stderr_flags,
                    error, exit_code, http_status, from_cache, started_at, finished_at, error_flags
                FROM completions d WHERE EXISTS (SELECT 1 FROM queue q WHERE q.id = d.id OFFSET 0) AND NOT (d.id = ANY(@skip))
                ORDER BY seq LIMIT @max
                """);
            command.Parameters.AddWithValue("max", max);
            command.Parameters.AddWithValue("skip", skip as long[] ?? [.. skip]);
            await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var list = new List<TaskCompletion>();
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                var what = $"outcome of run {r.GetString(1)} task {r.GetString(2)} attempt {r.GetInt32(3)}";
                list.Add(new TaskCompletion
                {
                    Id = r.GetInt64(0),
                    RunId = r.GetString(1),
                    TaskId = r.GetString(2),
                    Attempt = r.GetInt32(3),
                    Worker = r.GetString(4),
                    Outcome = new TaskOutcome(StoreColumns.Outcome(r.GetString(5)))
                    {
                        Output = r.IsDBNull(6) ? null : _codec.Decode(r.GetFieldValue<byte[]>(6), (BlobFlags)r.GetInt32(7), "output of " + what),
                        OutputTruncated = r.GetBoolean(8),
                        Stderr = r.IsDBNull(9) ? null : _codec.Decode(r.GetFieldValue<byte[]>(9), (BlobFlags)r.GetInt32(10), "stderr of " + what),
                        Error = r.IsDBNull(11) ? null : _codec.Decode(r.GetFieldValue<byte[]>(11), (BlobFlags)r.GetInt32(17), "error of " + what),
                        ExitCode = r.IsDBNull(12) ? null : r.GetInt32(12),
                        HttpStatus = r.IsDBNull(13) ? null : r.GetInt32(13),
                        FromCache = r.GetBoolean(14),
                    },
                    StartedAt = StoreColumns.Time(r.GetInt64(15)),
                    FinishedAt = StoreColumns.Time(r.GetInt64(16)),
                });
            }

            return list;
        }, cancellationToken);

    /// <summary>A claimed row is lost when both its own lease (from the claim) and its worker's lease (from
    /// the last heartbeat) have run out, and it has no outcome. The scheduler's periodic call; it also
    /// sweeps outcomes left without a row (see <see cref="CompleteAsync"/>).</summary>
    public ValueTask<IReadOnlyList<LostTask>> ReadLostTasksAsync(int max, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<LostTask>>("read lost tasks", async (c, ct) =>
        {
            await using (var sweep = Command(c, "DELETE FROM completions d WHERE NOT EXISTS (SELECT 1 FROM queue q WHERE q.id = d.id OFFSET 0)"))
            {
                await sweep.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await using var command = Command(c, """
                SELECT q.id, q.run_id, q.task_id, q.attempt, q.worker,
                    (SELECT l.lease_until FROM worker_leases l WHERE l.worker = q.worker) FROM queue q
                WHERE q.worker IS NOT NULL AND q.lease_until <= now()
                    AND NOT EXISTS (SELECT 1 FROM worker_leases l WHERE l.worker = q.worker AND l.lease_until > now() OFFSET 0)
                    AND NOT EXISTS (SELECT 1 FROM completions d WHERE d.id = q.id OFFSET 0)
                ORDER BY q.id LIMIT @max
                """);
            command.Parameters.AddWithValue("max", max);
            await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var list = new List<LostTask>();
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                list.Add(new LostTask
                {
                    Id = r.GetInt64(0),
                    RunId = r.GetString(1),
                    TaskId = r.GetString(2),
                    Attempt = r.GetInt32(3),
                    Worker = r.GetString(4),
                    WorkerLeaseUntil = r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5),
                });
            }

            return list;
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<QueuedTask>> ListQueuedAsync(string runId, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<QueuedTask>>("list queued tasks of run " + runId, async (c, ct) =>
        {
            await using var command = Command(c, $"SELECT {QueuedColumns} FROM queue WHERE run_id = @run ORDER BY id");
            command.Parameters.AddWithValue("run", runId);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await ReadQueuedAsync(reader, ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Cached by hash: a worker asks for the same definition for every task it claims.</summary>
    public async ValueTask<WorkflowDefinition?> GetDefinitionAsync(string hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        if (_definitions.TryGet(hash, out var known))
        {
            return known;
        }

        return await RunAsync("read definition " + hash, (c, ct) => DefinitionAsync(c, hash, ct), cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<QueuedTask>> ReadQueuedAsync(NpgsqlDataReader r, CancellationToken ct)
    {
        var list = new List<QueuedTask>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var id = r.GetInt64(0);
            list.Add(new QueuedTask
            {
                Id = id,
                RunId = r.GetString(1),
                TaskId = r.GetString(2),
                Attempt = r.GetInt32(3),
                Queue = r.GetString(4),
                DefinitionHash = r.GetString(5),
                Payload = r.IsDBNull(6) ? null : _codec.Decode(r.GetFieldValue<byte[]>(6), (BlobFlags)r.GetInt32(7), $"payload of queued task {id}"),
                Worker = r.IsDBNull(8) ? null : r.GetString(8),
            });
        }

        // RETURNING gives no order; callers get the queue's.
        list.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        return list;
    }
}
