using System.Data.Common;
using Weft.Definitions;

namespace Weft.Storage;

/// <summary>Turns one run's task and attempt rows, as the SQL stores select them, into snapshots in
/// definition order. A task without a row has not changed since submit, so it is pending. Columns:
/// tasks (task_id, state, attempts, started_at, finished_at, error, exit_code, retry_due_at, error_flags);
/// attempts ordered by task and attempt (task_id, attempt, started_at, finished_at, outcome, stderr,
/// stderr_flags, error, exit_code, http_status, output, output_flags, output_truncated, worker,
/// error_flags), so the last
/// attempt read for a task is its latest, whose output is the task's.</summary>
internal sealed class TaskRowReader(BlobCodec codec, string runId)
{
    private readonly Dictionary<string, Row> _rows = new(StringComparer.Ordinal);

    private sealed record Row(TaskSnapshot Task, List<AttemptSnapshot> History)
    {
        public byte[]? Output { get; set; }
        public BlobFlags OutputFlags { get; set; }
        public int OutputAttempt { get; set; }
        public bool OutputTruncated { get; set; }
    }

    public bool HasTasks => _rows.Count > 0;

    public void AddTask(DbDataReader r)
    {
        var id = r.GetString(0);
        _rows[id] = new Row(new TaskSnapshot(id, "", StoreColumns.Task(r.GetString(1)))
        {
            Attempts = r.GetInt32(2),
            StartedAt = Ticks(r, 3),
            FinishedAt = Ticks(r, 4),
            Error = ErrorOf(r, 5, 8, $"error of run {runId} task {id}"),
            ExitCode = r.IsDBNull(6) ? null : r.GetInt32(6),
            RetryDueAt = Ticks(r, 7),
        }, []);
    }

    public void AddAttempt(DbDataReader r)
    {
        if (!_rows.TryGetValue(r.GetString(0), out var row))
        {
            return;
        }

        var number = r.GetInt32(1);
        var what = $"run {runId} task {row.Task.TaskId} attempt {number}";
        row.History.Add(new AttemptSnapshot(number, Ticks(r, 2) ?? default)
        {
            FinishedAt = Ticks(r, 3),
            Outcome = r.IsDBNull(4) ? null : StoreColumns.Outcome(r.GetString(4)),
            Stderr = r.IsDBNull(5) ? null : codec.Decode(r.GetFieldValue<byte[]>(5), (BlobFlags)r.GetInt32(6), "stderr of " + what),
            Error = ErrorOf(r, 7, 14, "error of " + what),
            ExitCode = r.IsDBNull(8) ? null : r.GetInt32(8),
            HttpStatus = r.IsDBNull(9) ? null : r.GetInt32(9),
            Worker = r.IsDBNull(13) ? null : r.GetString(13),
        });
        row.Output = r.IsDBNull(10) ? null : r.GetFieldValue<byte[]>(10);
        row.OutputFlags = (BlobFlags)r.GetInt32(11);
        row.OutputAttempt = number;

        // A boolean column in PostgreSQL, an integer one in SQLite.
        row.OutputTruncated = Convert.ToBoolean(r.GetValue(12), System.Globalization.CultureInfo.InvariantCulture);
    }

    public IReadOnlyList<TaskSnapshot> Build(WorkflowDefinition definition)
    {
        var tasks = new List<TaskSnapshot>(definition.Tasks.Count);
        foreach (var t in definition.Tasks)
        {
            var task = _rows.TryGetValue(t.Id, out var row)
                ? row.Task with { Kind = t.Kind, Output = OutputOf(row), OutputTruncated = row.OutputTruncated, AttemptHistory = row.History }
                : new TaskSnapshot(t.Id, t.Kind, TaskState.Pending);
            tasks.Add(task.State == TaskState.Waiting ? task with { WaitReason = Waiting.WaitReasons.Of(t, task, runId) } : task);
        }

        // Instances of map tasks (convert[17]) follow the definition's tasks, by task then index.
        foreach (var (id, kind) in Mapping.MapInstanceIds.InstancesIn(definition, _rows.Keys))
        {
            var row = _rows[id];
            tasks.Add(row.Task with { Kind = kind, Output = OutputOf(row), OutputTruncated = row.OutputTruncated, AttemptHistory = row.History });
        }

        return tasks;
    }

    private string? OutputOf(Row row) => row.Output is null
        ? null
        : codec.Decode(row.Output, row.OutputFlags, $"output of run {runId} task {row.Task.TaskId} attempt {row.OutputAttempt}");

    // Text in rows written before errors went through the codec (and in SQLite when the codec left
    // the error as it is); bytes, decoded by their flags, otherwise.
    private string? ErrorOf(DbDataReader r, int i, int flags, string what) => r.IsDBNull(i)
        ? null
        : r.GetValue(i) is string text ? text : codec.Decode(r.GetFieldValue<byte[]>(i), (BlobFlags)r.GetInt32(flags), what);

    private static DateTimeOffset? Ticks(DbDataReader r, int i) => r.IsDBNull(i) ? null : StoreColumns.Time(r.GetInt64(i));
}
