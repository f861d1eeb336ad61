using Microsoft.Data.Sqlite;
using Weft.Definitions;
using Weft.Storage;

namespace Weft.Sqlite;

/// <summary>Reads one run's task and attempt rows into snapshots, in definition order. A task
/// without a row has not changed since submit, so it is pending.</summary>
internal sealed class TaskRows(BlobCodec codec, string runId)
{
    private sealed record Row(TaskSnapshot Task, List<AttemptSnapshot> History)
    {
        public byte[]? Output { get; set; }
        public BlobFlags OutputFlags { get; set; }
        public int OutputAttempt { get; set; }
        public bool OutputTruncated { get; set; }
    }

    public IReadOnlyList<TaskSnapshot> Load(SqliteConnection c, WorkflowDefinition definition)
    {
        var rows = ReadTasks(c);
        if (rows.Count > 0)
        {
            ReadAttempts(c, rows);
        }

        var tasks = new List<TaskSnapshot>(definition.Tasks.Count);
        foreach (var t in definition.Tasks)
        {
            tasks.Add(rows.TryGetValue(t.Id, out var row)
                ? row.Task with { Kind = t.Kind, Output = OutputOf(row), OutputTruncated = row.OutputTruncated, AttemptHistory = row.History }
                : new TaskSnapshot(t.Id, t.Kind, TaskState.Pending));
        }

        return tasks;
    }

    private string? OutputOf(Row row) => row.Output is null
        ? null
        : codec.Decode(row.Output, row.OutputFlags, $"output of run {runId} task {row.Task.TaskId} attempt {row.OutputAttempt}");

    private Dictionary<string, Row> ReadTasks(SqliteConnection c)
    {
        using var command = c.CreateCommand();
        command.CommandText = """
            SELECT task_id, state, attempts, started_at, finished_at, error, exit_code, retry_due_at
            FROM tasks WHERE run_id = $run
            """;
        command.Parameters.AddWithValue("$run", runId);
        using var r = command.ExecuteReader();
        var rows = new Dictionary<string, Row>(StringComparer.Ordinal);
        while (r.Read())
        {
            var id = r.GetString(0);
            rows[id] = new Row(new TaskSnapshot(id, "", Names.Task(r.GetString(1)))
            {
                Attempts = r.GetInt32(2),
                StartedAt = SqliteStore.Ticks(r, 3),
                FinishedAt = SqliteStore.Ticks(r, 4),
                Error = r.IsDBNull(5) ? null : r.GetString(5),
                ExitCode = r.IsDBNull(6) ? null : r.GetInt32(6),
                RetryDueAt = SqliteStore.Ticks(r, 7),
            }, []);
        }

        return rows;
    }

    // Ordered by attempt, so the last row read for a task is its latest attempt, whose output is
    // the task's; earlier outputs stay on disk until asked for (GetOutputAsync).
    private void ReadAttempts(SqliteConnection c, Dictionary<string, Row> rows)
    {
        using var command = c.CreateCommand();
        command.CommandText = """
            SELECT task_id, attempt, started_at, finished_at, outcome, stderr, stderr_flags, error, exit_code, http_status,
                output, output_flags, output_truncated
            FROM attempts WHERE run_id = $run ORDER BY task_id, attempt
            """;
        command.Parameters.AddWithValue("$run", runId);
        using var r = command.ExecuteReader();
        while (r.Read())
        {
            if (!rows.TryGetValue(r.GetString(0), out var row))
            {
                continue;
            }

            var number = r.GetInt32(1);
            var what = $"run {runId} task {row.Task.TaskId} attempt {number}";
            row.History.Add(new AttemptSnapshot(number, SqliteStore.Ticks(r, 2) ?? default)
            {
                FinishedAt = SqliteStore.Ticks(r, 3),
                Outcome = r.IsDBNull(4) ? null : Names.Outcome(r.GetString(4)),
                Stderr = r.IsDBNull(5) ? null : codec.Decode((byte[])r[5], (BlobFlags)r.GetInt32(6), "stderr of " + what),
                Error = r.IsDBNull(7) ? null : r.GetString(7),
                ExitCode = r.IsDBNull(8) ? null : r.GetInt32(8),
                HttpStatus = r.IsDBNull(9) ? null : r.GetInt32(9),
            });
            row.Output = r.IsDBNull(10) ? null : (byte[])r[10];
            row.OutputFlags = (BlobFlags)r.GetInt32(11);
            row.OutputAttempt = number;
            row.OutputTruncated = r.GetInt64(12) != 0;
        }
    }
}
