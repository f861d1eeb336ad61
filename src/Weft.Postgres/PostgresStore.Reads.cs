using Npgsql;
using Weft.Definitions;
using Weft.Storage;

namespace Weft.Postgres;

public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public ValueTask<RunSnapshot?> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        RunAsync("read run " + runId, async (c, ct) => (await LoadRunAsync(c, runId, clearSecrets: false, ct).ConfigureAwait(false))?.Snapshot, cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredRun?> LoadRunAsync(string runId, CancellationToken cancellationToken = default) =>
        RunAsync("load run " + runId, (c, ct) => LoadRunAsync(c, runId, clearSecrets: true, ct), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return RunAsync<IReadOnlyList<RunSummary>>("list runs", async (c, ct) =>
        {
            await using var command = Command(c, "");
            var where = new List<string>();
            Filter(command, where, "workflow = @workflow", "workflow", query.Workflow);
            Filter(command, where, "state = @state", "state", query.State?.ToName());
            Filter(command, where, "submitted_at >= @since", "since", query.Since?.UtcTicks);
            Filter(command, where, "submitted_at < @until", "until", query.Until?.UtcTicks);
            Filter(command, where, "(strpos(lower(run_id), lower(@text)) > 0 OR strpos(lower(workflow), lower(@text)) > 0)", "text", query.Text);
            Filter(command, where, "left(run_id, length(@prefix)) = @prefix", "prefix", query.IdPrefix);
            Filter(command, where, "parent_run_id = @parent", "parent", query.ParentRunId);
            command.CommandText = $"""
                SELECT run_id, workflow, state, submitted_at, started_at, finished_at, triggered_by, parent_run_id, parent_task_id FROM runs
                {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
                ORDER BY submitted_at DESC, run_id DESC LIMIT @limit OFFSET @offset
                """;
            command.Parameters.AddWithValue("limit", query.Limit);
            command.Parameters.AddWithValue("offset", query.Offset);
            await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var list = new List<RunSummary>();
            while (await r.ReadAsync(ct).ConfigureAwait(false))
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
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListUnfinishedRunsAsync(CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<string>>("list unfinished runs", async (c, ct) =>
        {
            await using var command = Command(c, "SELECT run_id FROM runs WHERE state IN ('pending', 'running', 'paused') ORDER BY submitted_at, run_id");
            await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var ids = new List<string>();
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                ids.Add(r.GetString(0));
            }

            return ids;
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<RunState, int>> CountRunsByStateAsync(CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyDictionary<RunState, int>>("count runs", async (c, ct) =>
        {
            await using var command = Command(c, "SELECT state, count(*)::int FROM runs GROUP BY state");
            await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var counts = new Dictionary<RunState, int>();
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                counts[StoreColumns.Run(r.GetString(0))] = r.GetInt32(1);
            }

            return counts;
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<string?> GetOutputAsync(string runId, string taskId, int? attempt = null, CancellationToken cancellationToken = default) =>
        RunAsync("read output", async (c, ct) =>
        {
            await using var command = Command(c, attempt is null
                ? "SELECT output, output_flags, attempt FROM attempts WHERE run_id = @run AND task_id = @task ORDER BY attempt DESC LIMIT 1"
                : "SELECT output, output_flags, attempt FROM attempts WHERE run_id = @run AND task_id = @task AND attempt = @attempt");
            command.Parameters.AddWithValue("run", runId);
            command.Parameters.AddWithValue("task", taskId);
            command.Parameters.AddWithValue("attempt", (object?)attempt ?? DBNull.Value);
            await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await r.ReadAsync(ct).ConfigureAwait(false) && !r.IsDBNull(0)
                ? _codec.Decode(r.GetFieldValue<byte[]>(0), (BlobFlags)r.GetInt32(1), $"output of run {runId} task {taskId} attempt {r.GetInt32(2)}")
                : null;
        }, cancellationToken);

    /// <summary>The run row, its task rows and its attempt rows in one round trip; the definition
    /// from the cache, or one more query the first time.</summary>
    private async Task<StoredRun?> LoadRunAsync(NpgsqlConnection c, string runId, bool clearSecrets, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(c);
        batch.BatchCommands.Add(ChangeBatch.Command("""
            SELECT definition_hash, state, priority, submitted_at, started_at, finished_at, params, secrets, secrets_flags, not_before, deadline,
                triggered_by, parent_run_id, parent_task_id
            FROM runs WHERE run_id = @p0
            """, runId));
        batch.BatchCommands.Add(ChangeBatch.Command(TaskRows.TasksSql, runId));
        batch.BatchCommands.Add(ChangeBatch.Command(TaskRows.AttemptsSql, runId));
        CountStatements(3);
        string hash;
        Dictionary<string, string> parameters;
        RunRecord? record = null;
        RunSnapshot snapshot;
        var rows = new TaskRowReader(_codec, runId);
        await using (var r = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            if (!await r.ReadAsync(ct).ConfigureAwait(false))
            {
                return null;
            }

            hash = r.GetString(0);
            parameters = RunParams.FromJson(r.GetString(6));
            if (clearSecrets && !r.IsDBNull(7))
            {
                var secrets = RunParams.FromJson(_codec.Decode(r.GetFieldValue<byte[]>(7), (BlobFlags)r.GetInt32(8), $"secret parameters of run {runId}"));
                foreach (var (name, value) in secrets)
                {
                    parameters[name] = value;
                }
            }

            var priority = r.IsDBNull(2) ? (TaskPriority?)null : (TaskPriority)r.GetInt32(2);
            var submitted = StoreColumns.Time(r.GetInt64(3));
            snapshot = new RunSnapshot(runId, "", StoreColumns.Run(r.GetString(1)))
            {
                SubmittedAt = submitted,
                StartedAt = Ticks(r, 4),
                FinishedAt = Ticks(r, 5),
                Params = parameters,
                TriggeredBy = r.IsDBNull(11) ? null : r.GetString(11),
                ParentRunId = r.IsDBNull(12) ? null : r.GetString(12),
                ParentTaskId = r.IsDBNull(13) ? null : r.GetString(13),
            };
            record = new RunRecord(runId, null!, parameters, submitted)
            {
                Priority = priority,
                NotBefore = Ticks(r, 9),
                Deadline = Ticks(r, 10),
                TriggeredBy = snapshot.TriggeredBy,
                ParentRunId = snapshot.ParentRunId,
                ParentTaskId = snapshot.ParentTaskId,
            };
            await r.NextResultAsync(ct).ConfigureAwait(false);
            await TaskRows.ReadAsync(r, rows.AddTask, ct).ConfigureAwait(false);
            await r.NextResultAsync(ct).ConfigureAwait(false);
            await TaskRows.ReadAsync(r, rows.AddAttempt, ct).ConfigureAwait(false);
        }

        var definition = await DefinitionAsync(c, hash, ct).ConfigureAwait(false)
            ?? throw new WeftStoreException($"the PostgreSQL store at {Where} has lost definition {hash}, which run {runId} refers to");
        return new StoredRun(
            record with { Definition = definition },
            snapshot with { Workflow = definition.Name, Tasks = rows.Build(definition) });
    }

    private async Task<WorkflowDefinition?> DefinitionAsync(NpgsqlConnection c, string hash, CancellationToken ct)
    {
        if (_definitions.TryGet(hash, out var known))
        {
            return known;
        }

        await using var command = Command(c, "SELECT body, body_flags FROM definitions WHERE hash = @hash");
        command.Parameters.AddWithValue("hash", hash);
        await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false))
        {
            return null;
        }

        var json = _codec.Decode(r.GetFieldValue<byte[]>(0), (BlobFlags)r.GetInt32(1), $"definition {hash}");
        return _definitions.Remember(hash, json);
    }

    private static void Filter(NpgsqlCommand command, List<string> where, string clause, string name, object? value)
    {
        if (value is not null)
        {
            where.Add(clause);
            command.Parameters.AddWithValue(name, value);
        }
    }

    internal static DateTimeOffset? Ticks(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : StoreColumns.Time(r.GetInt64(i));
}
