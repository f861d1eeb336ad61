using Microsoft.Data.Sqlite;
using Weft.Storage;

namespace Weft.Sqlite;

/// <summary>Registered workflows and schedule state (tables <c>registered_workflows</c> and
/// <c>schedules</c>). Every change is one statement in the writer's transaction, so two servers on one
/// file (two writers taking turns on SQLite's lock) give each version number once and let one of them
/// win each schedule's compare-and-set.</summary>
public sealed partial class SqliteStore : IRegistryStore
{
    private const string WorkflowColumns = "name, version, hash, registered_at, source, source_name";
    private const string ScheduleColumns = "workflow, paused, evaluated_at, last_tick, last_run_id";

    /// <inheritdoc />
    public async ValueTask<(StoredWorkflow Workflow, bool Created)> RegisterWorkflowAsync(StoredWorkflow workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        (StoredWorkflow, bool) result = default;
        await WriteLockedAsync("register workflow " + workflow.Name, () =>
        {
            using var insert = Command($"""
                INSERT INTO registered_workflows ({WorkflowColumns})
                SELECT $name, COALESCE(MAX(version), 0) + 1, $hash, $at, $source, $sourceName
                FROM registered_workflows WHERE name = $name
                ON CONFLICT DO NOTHING
                """);
            insert.Parameters.AddWithValue("$name", workflow.Name);
            insert.Parameters.AddWithValue("$hash", workflow.Hash);
            insert.Parameters.AddWithValue("$at", workflow.RegisteredAt.UtcTicks);
            insert.Parameters.AddWithValue("$source", workflow.Source);
            insert.Parameters.AddWithValue("$sourceName", workflow.SourceName);
            var created = insert.ExecuteNonQuery() == 1;
            using var read = Command($"SELECT {WorkflowColumns} FROM registered_workflows WHERE name = $name AND hash = $hash");
            read.Parameters.AddWithValue("$name", workflow.Name);
            read.Parameters.AddWithValue("$hash", workflow.Hash);
            using var r = read.ExecuteReader();
            r.Read();
            result = (Workflow(r), created);
            _statements += 2;
        }, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <inheritdoc />
    public ValueTask<StoredWorkflow?> GetWorkflowAsync(string name, int? version = null, CancellationToken cancellationToken = default) =>
        new(Read("read workflow " + name, c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = version is null
                ? $"SELECT {WorkflowColumns} FROM registered_workflows WHERE name = $name ORDER BY version DESC LIMIT 1"
                : $"SELECT {WorkflowColumns} FROM registered_workflows WHERE name = $name AND version = $version";
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$version", (object?)version ?? DBNull.Value);
            using var r = command.ExecuteReader();
            return r.Read() ? Workflow(r) : null;
        }));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredWorkflow>> ListWorkflowVersionsAsync(string name, CancellationToken cancellationToken = default) =>
        new(ReadWorkflows("list versions of workflow " + name,
            $"SELECT {WorkflowColumns} FROM registered_workflows WHERE name = $name ORDER BY version", name));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredWorkflow>> ListLatestWorkflowsAsync(CancellationToken cancellationToken = default) =>
        new(ReadWorkflows("list workflows", $"""
            SELECT {WorkflowColumns} FROM registered_workflows w
            WHERE version = (SELECT MAX(version) FROM registered_workflows WHERE name = w.name)
            ORDER BY name
            """, null));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredSchedule>> ListSchedulesAsync(CancellationToken cancellationToken = default) =>
        new(Read("list schedules", c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = $"SELECT {ScheduleColumns} FROM schedules ORDER BY workflow";
            using var r = command.ExecuteReader();
            var list = new List<StoredSchedule>();
            while (r.Read())
            {
                list.Add(Schedule(r));
            }

            return (IReadOnlyList<StoredSchedule>)list;
        }));

    /// <inheritdoc />
    public ValueTask<StoredSchedule?> GetScheduleAsync(string workflow, CancellationToken cancellationToken = default) =>
        new(Read("read schedule " + workflow, c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = $"SELECT {ScheduleColumns} FROM schedules WHERE workflow = $workflow";
            command.Parameters.AddWithValue("$workflow", workflow);
            using var r = command.ExecuteReader();
            return r.Read() ? Schedule(r) : null;
        }));

    /// <inheritdoc />
    public async ValueTask<StoredSchedule> AddScheduleAsync(string workflow, DateTimeOffset evaluated, CancellationToken cancellationToken = default)
    {
        StoredSchedule? result = null;
        await WriteLockedAsync("add schedule " + workflow, () =>
        {
            using var insert = Command("INSERT INTO schedules (workflow, paused, evaluated_at) VALUES ($workflow, 0, $evaluated) ON CONFLICT (workflow) DO NOTHING");
            insert.Parameters.AddWithValue("$workflow", workflow);
            insert.Parameters.AddWithValue("$evaluated", evaluated.UtcTicks);
            insert.ExecuteNonQuery();
            using var read = Command($"SELECT {ScheduleColumns} FROM schedules WHERE workflow = $workflow");
            read.Parameters.AddWithValue("$workflow", workflow);
            using var r = read.ExecuteReader();
            r.Read();
            result = Schedule(r);
            _statements += 2;
        }, cancellationToken).ConfigureAwait(false);
        return result!;
    }

    /// <inheritdoc />
    public async ValueTask RemoveScheduleAsync(string workflow, CancellationToken cancellationToken = default) =>
        await ChangeScheduleAsync("remove schedule", "DELETE FROM schedules WHERE workflow = $workflow", workflow, null, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<bool> SetSchedulePausedAsync(string workflow, bool paused, DateTimeOffset? evaluated = null, CancellationToken cancellationToken = default) =>
        await ChangeScheduleAsync("pause or resume schedule",
            "UPDATE schedules SET paused = $paused, evaluated_at = COALESCE($evaluated, evaluated_at) WHERE workflow = $workflow", workflow,
            p =>
            {
                p.AddWithValue("$paused", paused ? 1L : 0L);
                p.AddWithValue("$evaluated", (object?)evaluated?.UtcTicks ?? DBNull.Value);
            }, cancellationToken).ConfigureAwait(false) == 1;

    /// <inheritdoc />
    public async ValueTask<bool> AdvanceScheduleAsync(string workflow, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        await ChangeScheduleAsync("advance schedule",
            "UPDATE schedules SET evaluated_at = $to WHERE workflow = $workflow AND evaluated_at = $from", workflow,
            p =>
            {
                p.AddWithValue("$from", from.UtcTicks);
                p.AddWithValue("$to", to.UtcTicks);
            }, cancellationToken).ConfigureAwait(false) == 1;

    /// <inheritdoc />
    public async ValueTask RecordScheduleRunAsync(string workflow, DateTimeOffset? tick, string runId, CancellationToken cancellationToken = default) =>
        await ChangeScheduleAsync("record schedule run",
            "UPDATE schedules SET last_tick = COALESCE($tick, last_tick), last_run_id = $runId WHERE workflow = $workflow", workflow,
            p =>
            {
                p.AddWithValue("$tick", (object?)tick?.UtcTicks ?? DBNull.Value);
                p.AddWithValue("$runId", runId);
            }, cancellationToken).ConfigureAwait(false);

    /// <summary>One statement on one schedule; returns the rows it changed.</summary>
    private async ValueTask<int> ChangeScheduleAsync(string doing, string sql, string workflow, Action<SqliteParameterCollection>? parameters, CancellationToken cancellationToken)
    {
        var changed = 0;
        await WriteLockedAsync(doing + " " + workflow, () =>
        {
            using var command = Command(sql);
            command.Parameters.AddWithValue("$workflow", workflow);
            parameters?.Invoke(command.Parameters);
            changed = command.ExecuteNonQuery();
            _statements++;
        }, cancellationToken).ConfigureAwait(false);
        return changed;
    }

    private IReadOnlyList<StoredWorkflow> ReadWorkflows(string doing, string sql, string? name) =>
        Read(doing, c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = sql;
            if (name is not null)
            {
                command.Parameters.AddWithValue("$name", name);
            }

            using var r = command.ExecuteReader();
            var list = new List<StoredWorkflow>();
            while (r.Read())
            {
                list.Add(Workflow(r));
            }

            return (IReadOnlyList<StoredWorkflow>)list;
        });

    private static StoredWorkflow Workflow(SqliteDataReader r) =>
        new(r.GetString(0), r.GetInt32(1), r.GetString(2), StoreColumns.Time(r.GetInt64(3)), r.GetString(4), r.GetString(5));

    private static StoredSchedule Schedule(SqliteDataReader r) =>
        new(r.GetString(0), r.GetInt64(1) != 0, StoreColumns.Time(r.GetInt64(2)), r.IsDBNull(3) ? null : StoreColumns.Time(r.GetInt64(3)), r.IsDBNull(4) ? null : r.GetString(4));
}
