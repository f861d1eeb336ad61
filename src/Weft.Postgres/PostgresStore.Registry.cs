using Npgsql;
using Weft.Storage;

namespace Weft.Postgres;

/// <summary>Registered workflows and schedule state (tables <c>registered_workflows</c> and
/// <c>schedules</c>), shared by every scheduler on the database. Each change is one statement: version
/// numbers come from a unique key (a registration that loses a race for a number takes the next), and a
/// schedule's evaluation moves by compare-and-set, so one scheduler fires each tick.</summary>
public sealed partial class PostgresStore : IRegistryStore
{
    private const string WorkflowColumns = "name, version, hash, registered_at, source, source_name";
    private const string ScheduleColumns = "workflow, paused, evaluated_at, last_tick, last_run_id";

    // Registrations of different texts of one workflow at the same moment race for the next number;
    // the loser tries the number after, a few times at most.
    private const int RegisterAttempts = 8;

    /// <inheritdoc />
    public ValueTask<(StoredWorkflow Workflow, bool Created)> RegisterWorkflowAsync(StoredWorkflow workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        return RunAsync("register workflow " + workflow.Name, async (c, ct) =>
        {
            for (var attempt = 0; ; attempt++)
            {
                await using (var insert = Command(c, $"""
                    INSERT INTO registered_workflows ({WorkflowColumns})
                    SELECT @name, COALESCE(MAX(version), 0) + 1, @hash, @at, @source, @sourceName
                    FROM registered_workflows WHERE name = @name
                    ON CONFLICT DO NOTHING
                    """))
                {
                    insert.Parameters.AddWithValue("name", workflow.Name);
                    insert.Parameters.AddWithValue("hash", workflow.Hash);
                    insert.Parameters.AddWithValue("at", workflow.RegisteredAt.UtcTicks);
                    insert.Parameters.AddWithValue("source", workflow.Source);
                    insert.Parameters.AddWithValue("sourceName", workflow.SourceName);
                    var created = await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
                    CountCommit();
                    if (await ReadWorkflowAsync(c, $"SELECT {WorkflowColumns} FROM registered_workflows WHERE name = @name AND hash = @hash",
                        workflow.Name, p => p.AddWithValue("hash", workflow.Hash), ct).ConfigureAwait(false) is { } stored)
                    {
                        return (stored, created);
                    }
                }

                if (attempt + 1 >= RegisterAttempts)
                {
                    throw new WeftStoreException($"could not register workflow '{workflow.Name}' at {Where}: other registrations of it kept taking the next version; try again");
                }
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<StoredWorkflow?> GetWorkflowAsync(string name, int? version = null, CancellationToken cancellationToken = default) =>
        RunAsync("read workflow " + name, (c, ct) => ReadWorkflowAsync(c, version is null
            ? $"SELECT {WorkflowColumns} FROM registered_workflows WHERE name = @name ORDER BY version DESC LIMIT 1"
            : $"SELECT {WorkflowColumns} FROM registered_workflows WHERE name = @name AND version = @version",
            name, p => p.AddWithValue("version", version ?? 0), ct), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredWorkflow>> ListWorkflowVersionsAsync(string name, CancellationToken cancellationToken = default) =>
        ReadWorkflowsAsync("list versions of workflow " + name,
            $"SELECT {WorkflowColumns} FROM registered_workflows WHERE name = @name ORDER BY version", name, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredWorkflow>> ListLatestWorkflowsAsync(CancellationToken cancellationToken = default) =>
        ReadWorkflowsAsync("list workflows",
            $"""
            SELECT {WorkflowColumns} FROM registered_workflows w
            WHERE version = (SELECT MAX(version) FROM registered_workflows WHERE name = w.name)
            ORDER BY name COLLATE "C"
            """, null, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredSchedule>> ListSchedulesAsync(CancellationToken cancellationToken = default) =>
        RunAsync("list schedules", async (c, ct) =>
        {
            await using var command = Command(c, $"SELECT {ScheduleColumns} FROM schedules ORDER BY workflow COLLATE \"C\"");
            await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var list = new List<StoredSchedule>();
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                list.Add(Schedule(r));
            }

            return (IReadOnlyList<StoredSchedule>)list;
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredSchedule?> GetScheduleAsync(string workflow, CancellationToken cancellationToken = default) =>
        RunAsync("read schedule " + workflow, (c, ct) => ReadScheduleAsync(c, workflow, ct), cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredSchedule> AddScheduleAsync(string workflow, DateTimeOffset evaluated, CancellationToken cancellationToken = default) =>
        RunAsync("add schedule " + workflow, async (c, ct) =>
        {
            await using (var insert = Command(c, "INSERT INTO schedules (workflow, paused, evaluated_at) VALUES (@workflow, false, @evaluated) ON CONFLICT (workflow) DO NOTHING"))
            {
                insert.Parameters.AddWithValue("workflow", workflow);
                insert.Parameters.AddWithValue("evaluated", evaluated.UtcTicks);
                await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                CountCommit();
            }

            // Removed again by a concurrent registration without a schedule: what it was is what we added.
            return await ReadScheduleAsync(c, workflow, ct).ConfigureAwait(false) ?? new StoredSchedule(workflow, false, evaluated, null, null);
        }, cancellationToken);

    /// <inheritdoc />
    public async ValueTask RemoveScheduleAsync(string workflow, CancellationToken cancellationToken = default) =>
        await ChangeScheduleAsync("remove schedule", "DELETE FROM schedules WHERE workflow = @workflow", workflow, null, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<bool> SetSchedulePausedAsync(string workflow, bool paused, DateTimeOffset? evaluated = null, CancellationToken cancellationToken = default) =>
        await ChangeScheduleAsync("pause or resume schedule",
            "UPDATE schedules SET paused = @paused, evaluated_at = COALESCE(@evaluated, evaluated_at) WHERE workflow = @workflow", workflow,
            p =>
            {
                p.AddWithValue("paused", paused);
                p.Add(new NpgsqlParameter("evaluated", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)evaluated?.UtcTicks ?? DBNull.Value });
            }, cancellationToken).ConfigureAwait(false) == 1;

    /// <inheritdoc />
    public async ValueTask<bool> AdvanceScheduleAsync(string workflow, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        await ChangeScheduleAsync("advance schedule",
            "UPDATE schedules SET evaluated_at = @to WHERE workflow = @workflow AND evaluated_at = @from", workflow,
            p =>
            {
                p.AddWithValue("from", from.UtcTicks);
                p.AddWithValue("to", to.UtcTicks);
            }, cancellationToken).ConfigureAwait(false) == 1;

    /// <inheritdoc />
    public async ValueTask RecordScheduleRunAsync(string workflow, DateTimeOffset? tick, string runId, CancellationToken cancellationToken = default) =>
        await ChangeScheduleAsync("record schedule run",
            "UPDATE schedules SET last_tick = COALESCE(@tick, last_tick), last_run_id = @runId WHERE workflow = @workflow", workflow,
            p =>
            {
                p.Add(new NpgsqlParameter("tick", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)tick?.UtcTicks ?? DBNull.Value });
                p.AddWithValue("runId", runId);
            }, cancellationToken).ConfigureAwait(false);

    /// <summary>One statement on one schedule; returns the rows it changed. Not retried on a lost
    /// connection: a compare-and-set that did commit would then report that it lost.</summary>
    private ValueTask<int> ChangeScheduleAsync(string doing, string sql, string workflow, Action<NpgsqlParameterCollection>? parameters, CancellationToken cancellationToken) =>
        RunAsync(doing + " " + workflow, async (c, ct) =>
        {
            await using var command = Command(c, sql);
            command.Parameters.AddWithValue("workflow", workflow);
            parameters?.Invoke(command.Parameters);
            var changed = await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            CountCommit();
            return changed;
        }, cancellationToken, idempotent: false);

    private async Task<StoredWorkflow?> ReadWorkflowAsync(NpgsqlConnection c, string sql, string name, Action<NpgsqlParameterCollection> parameters, CancellationToken ct)
    {
        await using var command = Command(c, sql);
        command.Parameters.AddWithValue("name", name);
        parameters(command.Parameters);
        await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? Workflow(r) : null;
    }

    private ValueTask<IReadOnlyList<StoredWorkflow>> ReadWorkflowsAsync(string doing, string sql, string? name, CancellationToken cancellationToken) =>
        RunAsync(doing, async (c, ct) =>
        {
            await using var command = Command(c, sql);
            if (name is not null)
            {
                command.Parameters.AddWithValue("name", name);
            }

            await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var list = new List<StoredWorkflow>();
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                list.Add(Workflow(r));
            }

            return (IReadOnlyList<StoredWorkflow>)list;
        }, cancellationToken);

    private async Task<StoredSchedule?> ReadScheduleAsync(NpgsqlConnection c, string workflow, CancellationToken ct)
    {
        await using var command = Command(c, $"SELECT {ScheduleColumns} FROM schedules WHERE workflow = @workflow");
        command.Parameters.AddWithValue("workflow", workflow);
        await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? Schedule(r) : null;
    }

    private static StoredWorkflow Workflow(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetInt32(1), r.GetString(2), StoreColumns.Time(r.GetInt64(3)), r.GetString(4), r.GetString(5));

    private static StoredSchedule Schedule(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetBoolean(1), StoreColumns.Time(r.GetInt64(2)), r.IsDBNull(3) ? null : StoreColumns.Time(r.GetInt64(3)), r.IsDBNull(4) ? null : r.GetString(4));
}
