using Microsoft.Data.Sqlite;
using Weft.Storage;

namespace Weft.Sqlite;

public sealed partial class SqliteStore
{
    /// <inheritdoc />
    public ValueTask<RunSnapshot?> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        new(Read("read run " + runId, c => LoadRun(c, runId, clearSecrets: false)?.Snapshot));

    /// <inheritdoc />
    public ValueTask<StoredRun?> LoadRunAsync(string runId, CancellationToken cancellationToken = default) =>
        new(Read("load run " + runId, c => LoadRun(c, runId, clearSecrets: true)));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return new(Read<IReadOnlyList<RunSummary>>("list runs", c =>
        {
            using var command = c.CreateCommand();
            var where = new List<string>();
            Filter(command, where, "workflow = $workflow", "$workflow", query.Workflow);
            Filter(command, where, "state = $state", "$state", query.State?.ToName());
            Filter(command, where, "submitted_at >= $since", "$since", query.Since?.UtcTicks);
            Filter(command, where, "submitted_at < $until", "$until", query.Until?.UtcTicks);
            Filter(command, where, "(instr(lower(run_id), lower($text)) > 0 OR instr(lower(workflow), lower($text)) > 0)", "$text", query.Text);
            Filter(command, where, "substr(run_id, 1, length($prefix)) = $prefix", "$prefix", query.IdPrefix);
            Filter(command, where, "parent_run_id = $parent", "$parent", query.ParentRunId);
            command.CommandText = $"""
                SELECT run_id, workflow, state, submitted_at, started_at, finished_at, triggered_by, parent_run_id, parent_task_id FROM runs
                {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
                ORDER BY submitted_at DESC, run_id DESC LIMIT $limit OFFSET $offset
                """;
            command.Parameters.AddWithValue("$limit", query.Limit);
            command.Parameters.AddWithValue("$offset", query.Offset);
            using var r = command.ExecuteReader();
            var list = new List<RunSummary>();
            while (r.Read())
            {
                list.Add(new RunSummary(r.GetString(0), r.GetString(1), StoreColumns.Run(r.GetString(2)), StoreColumns.Time(r.GetInt64(3)))
                {
                    StartedAt = Ticks(r, 4),
                    FinishedAt = Ticks(r, 5),
                    TriggeredBy = r.IsDBNull(6) ? null : r.GetString(6),
                    ParentRunId = r.IsDBNull(7) ? null : r.GetString(7),
                    ParentTaskId = r.IsDBNull(8) ? null : r.GetString(8),
                });
            }

            return list;
        }));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListUnfinishedRunsAsync(CancellationToken cancellationToken = default) =>
        new(Read<IReadOnlyList<string>>("list unfinished runs", c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT run_id FROM runs WHERE state IN ('pending', 'running', 'paused') ORDER BY submitted_at, run_id";
            using var r = command.ExecuteReader();
            var ids = new List<string>();
            while (r.Read())
            {
                ids.Add(r.GetString(0));
            }

            return ids;
        }));

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<RunState, int>> CountRunsByStateAsync(CancellationToken cancellationToken = default) =>
        new(Read<IReadOnlyDictionary<RunState, int>>("count runs", c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT state, count(*) FROM runs GROUP BY state";
            using var r = command.ExecuteReader();
            var counts = new Dictionary<RunState, int>();
            while (r.Read())
            {
                counts[StoreColumns.Run(r.GetString(0))] = r.GetInt32(1);
            }

            return counts;
        }));

    /// <inheritdoc />
    public ValueTask<string?> GetOutputAsync(string runId, string taskId, int? attempt = null, CancellationToken cancellationToken = default) =>
        new(Read("read output", c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = attempt is null
                ? "SELECT output, output_flags, attempt FROM attempts WHERE run_id = $run AND task_id = $task ORDER BY attempt DESC LIMIT 1"
                : "SELECT output, output_flags, attempt FROM attempts WHERE run_id = $run AND task_id = $task AND attempt = $attempt";
            command.Parameters.AddWithValue("$run", runId);
            command.Parameters.AddWithValue("$task", taskId);
            command.Parameters.AddWithValue("$attempt", (object?)attempt ?? DBNull.Value);
            using var r = command.ExecuteReader();
            return r.Read() && !r.IsDBNull(0)
                ? _codec.Decode((byte[])r[0], (BlobFlags)r.GetInt32(1), $"output of run {runId} task {taskId} attempt {r.GetInt32(2)}")
                : null;
        }));

    private StoredRun? LoadRun(SqliteConnection c, string runId, bool clearSecrets)
    {
        using var command = c.CreateCommand();
        command.CommandText = """
            SELECT r.definition_hash, r.state, r.priority, r.submitted_at, r.started_at, r.finished_at, r.params, r.secrets, r.secrets_flags,
                r.not_before, r.deadline, r.triggered_by, r.parent_run_id, r.parent_task_id
            FROM runs r WHERE r.run_id = $run
            """;
        command.Parameters.AddWithValue("$run", runId);
        using var r = command.ExecuteReader();
        if (!r.Read())
        {
            return null;
        }

        var hash = r.GetString(0);
        var parameters = RunParams.FromJson(r.GetString(6));
        if (clearSecrets && !r.IsDBNull(7))
        {
            var secrets = RunParams.FromJson(_codec.Decode((byte[])r[7], (BlobFlags)r.GetInt32(8), $"secret parameters of run {runId}"));
            foreach (var (name, value) in secrets)
            {
                parameters[name] = value;
            }
        }

        var definition = _definitions.Read(hash, () => LoadDefinition(c, hash));
        var record = new RunRecord(runId, definition, parameters, StoreColumns.Time(r.GetInt64(3)))
        {
            Priority = r.IsDBNull(2) ? null : (Definitions.TaskPriority)r.GetInt32(2),
            NotBefore = Ticks(r, 9),
            Deadline = Ticks(r, 10),
            TriggeredBy = r.IsDBNull(11) ? null : r.GetString(11),
            ParentRunId = r.IsDBNull(12) ? null : r.GetString(12),
            ParentTaskId = r.IsDBNull(13) ? null : r.GetString(13),
        };
        var snapshot = new RunSnapshot(runId, definition.Name, StoreColumns.Run(r.GetString(1)))
        {
            SubmittedAt = record.SubmittedAt,
            StartedAt = Ticks(r, 4),
            FinishedAt = Ticks(r, 5),
            Params = parameters,
            Tasks = new TaskRows(_codec, runId).Load(c, definition),
            TriggeredBy = record.TriggeredBy,
            ParentRunId = record.ParentRunId,
            ParentTaskId = record.ParentTaskId,
        };
        return new StoredRun(record, snapshot);
    }

    private string LoadDefinition(SqliteConnection c, string hash)
    {
        using var command = c.CreateCommand();
        command.CommandText = "SELECT body, body_flags FROM definitions WHERE hash = $hash";
        command.Parameters.AddWithValue("$hash", hash);
        using var r = command.ExecuteReader();
        return r.Read()
            ? _codec.Decode((byte[])r[0], (BlobFlags)r.GetInt32(1), $"definition {hash}")
            : throw new WeftStoreException($"the store at {_path} has lost definition {hash}, which a run refers to");
    }

    private static void Filter(SqliteCommand command, List<string> where, string clause, string name, object? value)
    {
        if (value is not null)
        {
            where.Add(clause);
            command.Parameters.AddWithValue(name, value);
        }
    }

    internal static DateTimeOffset? Ticks(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : StoreColumns.Time(r.GetInt64(i));
}
