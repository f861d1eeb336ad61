using Npgsql;
using Weft.Definitions;
using Weft.Storage;

namespace Weft.Postgres;

/// <summary>Reads one run's task and attempt rows (two result sets of one batch) into snapshots, in
/// definition order. A task without a row has not changed since submit, so it is pending.</summary>
internal sealed class TaskRows(BlobCodec codec, string runId)
{
    public const string TasksSql = """
        SELECT task_id, state, attempts, started_at, finished_at, error, exit_code, retry_due_at
        FROM tasks WHERE run_id = @p0
        """;

    // Ordered by attempt, so the last row read for a task is its latest attempt, whose output is
    // the task's; earlier outputs stay in the table until asked for (GetOutputAsync).
    public const string AttemptsSql = """
        SELECT task_id, attempt, started_at, finished_at, outcome, stderr, stderr_flags, error, exit_code, http_status,
            output, output_flags, output_truncated
        FROM attempts WHERE run_id = @p0 ORDER BY task_id, attempt
        """;

    private readonly Dictionary<string, Row> _rows = new(StringComparer.Ordinal);

    private sealed record Row(TaskSnapshot Task, List<AttemptSnapshot> History)
    {
        public byte[]? Output { get; set; }
        public BlobFlags OutputFlags { get; set; }
        public int OutputAttempt { get; set; }
        public bool OutputTruncated { get; set; }
    }

    public async Task ReadTasksAsync(NpgsqlDataReader r, CancellationToken ct)
    {
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var id = r.GetString(0);
            _rows[id] = new Row(new TaskSnapshot(id, "", Names.Task(r.GetString(1)))
            {
                Attempts = r.GetInt32(2),
                StartedAt = PostgresStore.Ticks(r, 3),
                FinishedAt = PostgresStore.Ticks(r, 4),
                Error = r.IsDBNull(5) ? null : r.GetString(5),
                ExitCode = r.IsDBNull(6) ? null : r.GetInt32(6),
                RetryDueAt = PostgresStore.Ticks(r, 7),
            }, []);
        }
    }

    public async Task ReadAttemptsAsync(NpgsqlDataReader r, CancellationToken ct)
    {
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            if (!_rows.TryGetValue(r.GetString(0), out var row))
            {
                continue;
            }

            var number = r.GetInt32(1);
            var what = $"run {runId} task {row.Task.TaskId} attempt {number}";
            row.History.Add(new AttemptSnapshot(number, PostgresStore.Ticks(r, 2) ?? default)
            {
                FinishedAt = PostgresStore.Ticks(r, 3),
                Outcome = r.IsDBNull(4) ? null : Names.Outcome(r.GetString(4)),
                Stderr = r.IsDBNull(5) ? null : codec.Decode(r.GetFieldValue<byte[]>(5), (BlobFlags)r.GetInt32(6), "stderr of " + what),
                Error = r.IsDBNull(7) ? null : r.GetString(7),
                ExitCode = r.IsDBNull(8) ? null : r.GetInt32(8),
                HttpStatus = r.IsDBNull(9) ? null : r.GetInt32(9),
            });
            row.Output = r.IsDBNull(10) ? null : r.GetFieldValue<byte[]>(10);
            row.OutputFlags = (BlobFlags)r.GetInt32(11);
            row.OutputAttempt = number;
            row.OutputTruncated = r.GetBoolean(12);
        }
    }

    public IReadOnlyList<TaskSnapshot> Build(WorkflowDefinition definition)
    {
        var tasks = new List<TaskSnapshot>(definition.Tasks.Count);
        foreach (var t in definition.Tasks)
        {
            tasks.Add(_rows.TryGetValue(t.Id, out var row)
                ? row.Task with { Kind = t.Kind, Output = OutputOf(row), OutputTruncated = row.OutputTruncated, AttemptHistory = row.History }
                : new TaskSnapshot(t.Id, t.Kind, TaskState.Pending));
        }

        return tasks;
    }

    private string? OutputOf(Row row) => row.Output is null
        ? null
        : codec.Decode(row.Output, row.OutputFlags, $"output of run {runId} task {row.Task.TaskId} attempt {row.OutputAttempt}");
}
