using Npgsql;
using Weft.Cluster;
using Weft.Storage;

namespace Weft.Postgres;

/// <summary>One <see cref="IWeftStore.WriteAsync"/> call as a handful of set-based statements. Changes
/// are the latest full state of a row, so changes to the same row collapse to the last one (a run's
/// start time is kept from an earlier change, as the row-by-row update would); each kind is then one
/// <c>unnest</c> upsert, whatever the number of rows. Statement order keeps the batch's meaning:
/// runs, tasks, attempts, then the queue (cancel, dequeue, enqueue), then the NOTIFYs.</summary>
internal sealed class ChangeBatch(BlobCodec codec)
{
    private readonly Dictionary<string, RunRow> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), int> _taskIndex = [];
    private readonly List<StoreChange> _tasks = [];
    private readonly Dictionary<(string, string, int), int> _attemptIndex = [];
    private readonly List<StoreChange> _attempts = [];
    private readonly Dictionary<(string, string, int), int> _enqueueIndex = [];
    private readonly List<EnqueueRow> _enqueues = [];
    private readonly HashSet<long> _dequeues = [];
    private readonly HashSet<string> _cancelled = new(StringComparer.Ordinal);
    private readonly List<(long Id, long At)> _signalsTaken = [];

    private sealed record RunRow(string State, long? StartedAt, long? FinishedAt);

    private sealed record EnqueueRow(StoreChange Change, bool Cancelled);

    public ClusterSignal Signals { get; private set; }

    public void Add(in StoreChange c)
    {
        switch (c.Kind)
        {
            case StoreChangeKind.Run:
                var started = c.StartedAt?.UtcTicks ?? (_runs.TryGetValue(c.RunId, out var earlier) ? earlier.StartedAt : null);
                _runs[c.RunId] = new RunRow(c.RunState.ToName(), started, c.FinishedAt?.UtcTicks);
                if (c.RunState.IsFinal())
                {
                    Signals |= ClusterSignal.RunFinished;
                }

                break;
            case StoreChangeKind.Task:
                Upsert(_taskIndex, _tasks, (c.RunId, c.TaskId!), c);
                break;
            case StoreChangeKind.Attempt:
                Upsert(_attemptIndex, _attempts, (c.RunId, c.TaskId!, c.Attempt), c);
                break;
            case StoreChangeKind.Enqueue:
                // Like the INSERT's ON CONFLICT DO NOTHING: the first Enqueue of a row wins.
                if (_enqueueIndex.TryAdd((c.RunId, c.TaskId!, c.Attempt), _enqueues.Count))
                {
                    _enqueues.Add(new EnqueueRow(c, false));
                }

                Signals |= ClusterSignal.TasksQueued;
                break;
            case StoreChangeKind.Dequeue:
                _dequeues.Add(c.QueueId);
                break;
            case StoreChangeKind.SignalTaken:
                _signalsTaken.Add((c.QueueId, (c.FinishedAt ?? DateTimeOffset.UnixEpoch).UtcTicks));
                break;
            case StoreChangeKind.CancelQueued:
                // Rows this batch enqueued before the cancel are inserted already flagged; the UPDATE
                // (run before the INSERT) flags the rows of earlier batches.
                _cancelled.Add(c.RunId);
                for (var i = 0; i < _enqueues.Count; i++)
                {
                    if (_enqueues[i].Change.RunId == c.RunId)
                    {
                        _enqueues[i] = _enqueues[i] with { Cancelled = true };
                    }
                }

                break;
        }
    }

    /// <summary>The statements, in order, as batch commands.</summary>
    public void AppendTo(NpgsqlBatch batch, Channels channels)
    {
        if (_runs.Count > 0)
        {
            batch.BatchCommands.Add(Runs());
        }

        if (_tasks.Count > 0)
        {
            batch.BatchCommands.Add(Tasks());
        }

        if (_attempts.Count > 0)
        {
            batch.BatchCommands.Add(Attempts());
        }

        if (_signalsTaken.Count > 0)
        {
            batch.BatchCommands.Add(Command("""
                UPDATE signals s SET taken_at = u.at FROM unnest(@p0::bigint[], @p1::bigint[]) AS u(id, at) WHERE s.id = u.id
                """, _signalsTaken.Select(t => t.Id).ToArray(), _signalsTaken.Select(t => t.At).ToArray()));
        }

        if (_cancelled.Count > 0)
        {
            batch.BatchCommands.Add(Command("UPDATE queue SET cancelled = true WHERE run_id = ANY(@p0::text[])", (object)_cancelled.ToArray()));
        }

        if (_dequeues.Count > 0)
        {
            var dequeued = _dequeues.ToArray();
            batch.BatchCommands.Add(Command("DELETE FROM queue WHERE id = ANY(@p0::bigint[])", dequeued));
            batch.BatchCommands.Add(Command("DELETE FROM completions WHERE id = ANY(@p0::bigint[])", dequeued));
        }

        if (_enqueues.Count > 0)
        {
            batch.BatchCommands.Add(Enqueues());
        }

        foreach (var channel in channels.Of(Signals))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(Channels.Notify(channel)));
        }
    }

    private NpgsqlBatchCommand Runs() => Command("""
        UPDATE runs r SET state = u.state, started_at = coalesce(u.started_at, r.started_at), finished_at = u.finished_at,
            owner = CASE WHEN u.state IN ('succeeded', 'failed', 'cancelled', 'timed_out') THEN NULL ELSE r.owner END,
            lease_until = CASE WHEN u.state IN ('succeeded', 'failed', 'cancelled', 'timed_out') THEN NULL ELSE r.lease_until END
        FROM unnest(@p0::text[], @p1::text[], @p2::bigint[], @p3::bigint[]) AS u(run_id, state, started_at, finished_at)
        WHERE r.run_id = u.run_id
        """,
        _runs.Keys.ToArray(), _runs.Values.Select(r => r.State).ToArray(),
        _runs.Values.Select(r => r.StartedAt).ToArray(), _runs.Values.Select(r => r.FinishedAt).ToArray());

    // A change for an unknown (e.g. purged) run is ignored, as MemoryStore does, instead of leaving an orphan row.
    private NpgsqlBatchCommand Tasks()
    {
        var n = _tasks.Count;
        var error = new byte[]?[n];
        var errorFlags = new int[n];
        for (var i = 0; i < n; i++)
        {
            error[i] = Encode(codec, _tasks[i].Error, out errorFlags[i]);
        }

        return Command("""
            INSERT INTO tasks (run_id, task_id, state, attempts, started_at, finished_at, error, exit_code, retry_due_at, error_flags)
            SELECT u.* FROM unnest(@p0::text[], @p1::text[], @p2::text[], @p3::int[], @p4::bigint[], @p5::bigint[], @p6::bytea[],
                @p7::int[], @p8::bigint[], @p9::int[])
                AS u(run_id, task_id, state, attempts, started_at, finished_at, error, exit_code, retry_due_at, error_flags)
            WHERE EXISTS (SELECT 1 FROM runs r WHERE r.run_id = u.run_id)
            ON CONFLICT (run_id, task_id) DO UPDATE SET
                state = excluded.state, attempts = excluded.attempts, started_at = excluded.started_at,
                finished_at = excluded.finished_at, error = excluded.error, exit_code = excluded.exit_code,
                retry_due_at = excluded.retry_due_at, error_flags = excluded.error_flags
            """,
            _tasks.Select(c => c.RunId).ToArray(), _tasks.Select(c => c.TaskId!).ToArray(), _tasks.Select(c => c.TaskState.ToName()).ToArray(),
            _tasks.Select(c => c.Attempt).ToArray(), _tasks.Select(c => c.StartedAt?.UtcTicks).ToArray(),
            _tasks.Select(c => c.FinishedAt?.UtcTicks).ToArray(), error,
            _tasks.Select(c => c.ExitCode).ToArray(), _tasks.Select(c => c.RetryDueAt?.UtcTicks).ToArray(), errorFlags);
    }

    private NpgsqlBatchCommand Attempts()
    {
        var n = _attempts.Count;
        var output = new byte[]?[n];
        var outputFlags = new int[n];
        var stderr = new byte[]?[n];
        var stderrFlags = new int[n];
        var error = new byte[]?[n];
        var errorFlags = new int[n];
        for (var i = 0; i < n; i++)
        {
            output[i] = Encode(codec, _attempts[i].Output, out outputFlags[i]);
            stderr[i] = Encode(codec, _attempts[i].Stderr, out stderrFlags[i]);
            error[i] = Encode(codec, _attempts[i].Error, out errorFlags[i]);
        }

        return Command("""
            INSERT INTO attempts (run_id, task_id, attempt, started_at, finished_at, outcome, output, output_flags,
                output_truncated, stderr, stderr_flags, error, exit_code, http_status, worker, error_flags)
            SELECT u.* FROM unnest(@p0::text[], @p1::text[], @p2::int[], @p3::bigint[], @p4::bigint[], @p5::text[], @p6::bytea[],
                @p7::int[], @p8::bool[], @p9::bytea[], @p10::int[], @p11::bytea[], @p12::int[], @p13::int[], @p14::text[], @p15::int[])
                AS u(run_id, task_id, attempt, started_at, finished_at, outcome, output, output_flags,
                    output_truncated, stderr, stderr_flags, error, exit_code, http_status, worker, error_flags)
            WHERE EXISTS (SELECT 1 FROM runs r WHERE r.run_id = u.run_id)
            ON CONFLICT (run_id, task_id, attempt) DO UPDATE SET
                started_at = excluded.started_at, finished_at = excluded.finished_at, outcome = excluded.outcome,
                output = excluded.output, output_flags = excluded.output_flags,
                output_truncated = excluded.output_truncated, stderr = excluded.stderr,
                stderr_flags = excluded.stderr_flags, error = excluded.error, exit_code = excluded.exit_code,
                http_status = excluded.http_status, worker = excluded.worker, error_flags = excluded.error_flags
            """,
            _attempts.Select(c => c.RunId).ToArray(), _attempts.Select(c => c.TaskId!).ToArray(), _attempts.Select(c => c.Attempt).ToArray(),
            _attempts.Select(c => c.StartedAt?.UtcTicks).ToArray(), _attempts.Select(c => c.FinishedAt?.UtcTicks).ToArray(),
            _attempts.Select(c => c.Outcome is { } o ? StoreColumns.Of(o) : null).ToArray(), output, outputFlags,
            _attempts.Select(c => c.OutputTruncated).ToArray(), stderr, stderrFlags, error,
            _attempts.Select(c => c.ExitCode).ToArray(), _attempts.Select(c => c.HttpStatus).ToArray(), _attempts.Select(c => c.Worker).ToArray(),
            errorFlags);
    }

    // The definition hash comes from the run (a worker renders the task from that definition); rows
    // get ids in the batch's order, so claims (oldest id first) follow the scheduler's dispatch order.
    private NpgsqlBatchCommand Enqueues()
    {
        var n = _enqueues.Count;
        var payload = new byte[]?[n];
        var payloadFlags = new int[n];
        for (var i = 0; i < n; i++)
        {
            payload[i] = Encode(codec, _enqueues[i].Change.Payload, out payloadFlags[i]);
        }

        return Command("""
            INSERT INTO queue (run_id, task_id, attempt, queue, definition_hash, payload, payload_flags, cancelled)
            SELECT u.run_id, u.task_id, u.attempt, u.queue, r.definition_hash, u.payload, u.payload_flags, u.cancelled
            FROM unnest(@p0::text[], @p1::text[], @p2::int[], @p3::text[], @p4::bytea[], @p5::int[], @p6::bool[])
                WITH ORDINALITY AS u(run_id, task_id, attempt, queue, payload, payload_flags, cancelled, ord)
            JOIN runs r ON r.run_id = u.run_id
            ORDER BY u.ord
            ON CONFLICT (run_id, task_id, attempt) DO NOTHING
            """,
            _enqueues.Select(e => e.Change.RunId).ToArray(), _enqueues.Select(e => e.Change.TaskId!).ToArray(),
            _enqueues.Select(e => e.Change.Attempt).ToArray(), _enqueues.Select(e => e.Change.Queue ?? "default").ToArray(),
            payload, payloadFlags, _enqueues.Select(e => e.Cancelled).ToArray());
    }

    /// <summary>Encodes an output-like value (encrypted when a key is set); null stays null.</summary>
    internal static byte[]? Encode(BlobCodec codec, string? text, out int flags)
    {
        flags = 0;
        if (text is null)
        {
            return null;
        }

        var bytes = codec.Encode(text, secret: true, out var blobFlags);
        flags = (int)blobFlags;
        return bytes;
    }

    internal static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.Add(new NpgsqlParameter("p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), values[i]));
        }

        return command;
    }

    private static void Upsert<TKey, TRow>(Dictionary<TKey, int> index, List<TRow> rows, TKey key, TRow row)
        where TKey : notnull
    {
        if (index.TryGetValue(key, out var i))
        {
            rows[i] = row;
        }
        else
        {
            index[key] = rows.Count;
            rows.Add(row);
        }
    }
}
