using Microsoft.Data.Sqlite;

namespace Weft.Sqlite;

/// <summary>The writer's statements, prepared once and reused for every change: binding values to
/// a compiled statement is far cheaper than parsing SQL per row (see <see cref="RawStatement"/>).</summary>
internal sealed class WriteCommands : IDisposable
{
    public WriteCommands(SqliteConnection writer)
    {
        Definition = new RawStatement(writer, """
            INSERT INTO definitions (hash, name, body, body_flags) VALUES ($hash, $name, $body, $flags)
            ON CONFLICT (hash) DO NOTHING
            """, "$hash", "$name", "$body", "$flags");
        Run = new RawStatement(writer, """
            INSERT INTO runs (run_id, workflow, definition_hash, state, priority, submitted_at, params, secrets, secrets_flags, not_before, deadline,
                owner, lease_until, triggered_by, parent_run_id, parent_task_id)
            VALUES ($run, $workflow, $hash, 'pending', $priority, $submitted, $params, $secrets, $secretsFlags, $notBefore, $deadline,
                $owner, $leaseUntil, $triggeredBy, $parentRun, $parentTask)
            """, "$run", "$workflow", "$hash", "$priority", "$submitted", "$params", "$secrets", "$secretsFlags", "$notBefore", "$deadline",
            "$owner", "$leaseUntil", "$triggeredBy", "$parentRun", "$parentTask");
        // A final run has no owner any more (nothing to renew, nothing to take up).
        RunState = new RawStatement(writer, """
            UPDATE runs SET state = $state, started_at = coalesce($started, started_at), finished_at = $finished,
                owner = CASE WHEN $state IN ('succeeded', 'failed', 'cancelled', 'timed_out') THEN NULL ELSE owner END,
                lease_until = CASE WHEN $state IN ('succeeded', 'failed', 'cancelled', 'timed_out') THEN NULL ELSE lease_until END
            WHERE run_id = $run
            """, "$run", "$state", "$started", "$finished");

        // INSERT ... SELECT ... WHERE EXISTS: a change for an unknown (e.g. purged) run is ignored,
        // as MemoryStore does, instead of leaving an orphan row.
        Task = new RawStatement(writer, """
            INSERT INTO tasks (run_id, task_id, state, attempts, started_at, finished_at, error, exit_code, retry_due_at, error_flags)
            SELECT $run, $task, $state, $attempts, $started, $finished, $error, $exit, $due, $errorFlags
            WHERE EXISTS (SELECT 1 FROM runs WHERE run_id = $run)
            ON CONFLICT (run_id, task_id) DO UPDATE SET
                state = excluded.state, attempts = excluded.attempts, started_at = excluded.started_at,
                finished_at = excluded.finished_at, error = excluded.error, exit_code = excluded.exit_code,
                retry_due_at = excluded.retry_due_at, error_flags = excluded.error_flags
            """, "$run", "$task", "$state", "$attempts", "$started", "$finished", "$error", "$exit", "$due", "$errorFlags");
        Attempt = new RawStatement(writer, """
            INSERT INTO attempts (run_id, task_id, attempt, started_at, finished_at, outcome, output, output_flags,
                output_truncated, stderr, stderr_flags, error, exit_code, http_status, worker, error_flags)
            SELECT $run, $task, $attempt, $started, $finished, $outcome, $output, $outputFlags,
                $truncated, $stderr, $stderrFlags, $error, $exit, $http, $worker, $errorFlags
            WHERE EXISTS (SELECT 1 FROM runs WHERE run_id = $run)
            ON CONFLICT (run_id, task_id, attempt) DO UPDATE SET
                started_at = excluded.started_at, finished_at = excluded.finished_at, outcome = excluded.outcome,
                output = excluded.output, output_flags = excluded.output_flags,
                output_truncated = excluded.output_truncated, stderr = excluded.stderr,
                stderr_flags = excluded.stderr_flags, error = excluded.error, exit_code = excluded.exit_code,
                http_status = excluded.http_status, worker = excluded.worker, error_flags = excluded.error_flags
            """, "$run", "$task", "$attempt", "$started", "$finished", "$outcome", "$output", "$outputFlags",
            "$truncated", "$stderr", "$stderrFlags", "$error", "$exit", "$http", "$worker", "$errorFlags");
    }

    public RawStatement Definition { get; }
    public RawStatement Run { get; }
    public RawStatement RunState { get; }
    public RawStatement Task { get; }
    public RawStatement Attempt { get; }

    /// <summary>The writer's open transaction, for a <see cref="SqliteCommand"/> that joins it
    /// (Microsoft.Data.Sqlite requires commands to name it; the raw statements run on the same
    /// connection and so inside it anyway).</summary>
    public SqliteTransaction? Current { get; private set; }

    /// <summary>Begins the writer's transaction and returns it for the caller's using.</summary>
    public SqliteTransaction Begin(SqliteConnection writer) => Current = writer.BeginTransaction();

    public void Dispose()
    {
        Definition.Dispose();
        Run.Dispose();
        RunState.Dispose();
        Task.Dispose();
        Attempt.Dispose();
    }
}
