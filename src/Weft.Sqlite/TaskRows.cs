using Microsoft.Data.Sqlite;
using Weft.Definitions;
using Weft.Storage;

namespace Weft.Sqlite;

/// <summary>Reads one run's task and attempt rows into snapshots (<see cref="TaskRowReader"/>), in
/// definition order.</summary>
internal sealed class TaskRows(BlobCodec codec, string runId)
{
    public IReadOnlyList<TaskSnapshot> Load(SqliteConnection c, WorkflowDefinition definition)
    {
        var reader = new TaskRowReader(codec, runId);
        Read(c, reader.AddTask, """
            SELECT task_id, state, attempts, started_at, finished_at, error, exit_code, retry_due_at, error_flags
            FROM tasks WHERE run_id = $run
            """);
        if (reader.HasTasks)
        {
            // Earlier attempts' outputs stay on disk until asked for (GetOutputAsync).
            Read(c, reader.AddAttempt, """
                SELECT task_id, attempt, started_at, finished_at, outcome, stderr, stderr_flags, error, exit_code, http_status,
                    output, output_flags, output_truncated, worker, error_flags
                FROM attempts WHERE run_id = $run ORDER BY task_id, attempt
                """);
        }

        return reader.Build(definition);
    }

    private void Read(SqliteConnection c, Action<SqliteDataReader> add, string sql)
    {
        using var command = c.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$run", runId);
        using var r = command.ExecuteReader();
        while (r.Read())
        {
            add(r);
        }
    }
}
