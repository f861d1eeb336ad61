using Npgsql;
using Weft.Storage;

namespace Weft.Postgres;

/// <summary>The SQL for one run's task and attempt rows (two result sets of one batch) and the
/// reading of them into a <see cref="TaskRowReader"/>.</summary>
internal static class TaskRows
{
    public const string TasksSql = """
        SELECT task_id, state, attempts, started_at, finished_at, error, exit_code, retry_due_at, error_flags
        FROM tasks WHERE run_id = @p0
        """;

    // Earlier attempts' outputs stay in the table until asked for (GetOutputAsync).
    public const string AttemptsSql = """
        SELECT task_id, attempt, started_at, finished_at, outcome, stderr, stderr_flags, error, exit_code, http_status,
            output, output_flags, output_truncated, worker, error_flags
        FROM attempts WHERE run_id = @p0 ORDER BY task_id, attempt
        """;

    public static async Task ReadAsync(NpgsqlDataReader r, Action<NpgsqlDataReader> add, CancellationToken ct)
    {
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            add(r);
        }
    }
}
