using Weft.Storage;

namespace Weft.Postgres;

/// <summary>Signals for waiting tasks (table <c>signals</c>): recorded by any server or CLI on the
/// database, taken by the leader's scheduler in the batch that records their effect
/// (<see cref="ChangeBatch"/>). The data goes through the codec like outputs.</summary>
public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public ValueTask<TaskSignal> AddSignalAsync(TaskSignal signal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var data = ChangeBatch.Encode(_codec, signal.Data, out var flags);
        return RunAsync($"record a signal for task {signal.TaskId} of run {signal.RunId}", async (c, ct) =>
        {
            await using var command = Command(c, """
                INSERT INTO signals (run_id, task_id, sent_at, origin, reject, data, data_flags, control)
                VALUES (@run, @task, @at, @origin, @reject, @data, @flags, @control) RETURNING id
                """);
            command.Parameters.AddWithValue("run", signal.RunId);
            command.Parameters.AddWithValue("task", signal.TaskId);
            command.Parameters.AddWithValue("at", signal.SentAt.UtcTicks);
            command.Parameters.AddWithValue("origin", signal.Origin);
            command.Parameters.AddWithValue("reject", signal.Reject);
            command.Parameters.Add(new Npgsql.NpgsqlParameter("data", NpgsqlTypes.NpgsqlDbType.Bytea) { Value = (object?)data ?? DBNull.Value });
            command.Parameters.AddWithValue("flags", flags);
            command.Parameters.Add(new Npgsql.NpgsqlParameter("control", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)StoreColumns.Of(signal.Control) ?? DBNull.Value });
            var id = (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            CountCommit();
            return signal with { Id = id };
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TaskSignal>> PendingSignalsAsync(int limit = 1000, CancellationToken cancellationToken = default) =>
        RunAsync("read pending signals", async (c, ct) =>
        {
            await using var command = Command(c, """
                SELECT id, run_id, task_id, sent_at, origin, reject, data, data_flags, control
                FROM signals WHERE taken_at IS NULL ORDER BY id LIMIT @limit
                """);
            command.Parameters.AddWithValue("limit", limit);
            await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var list = new List<TaskSignal>();
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                list.Add(new TaskSignal(r.GetString(1), r.GetString(2))
                {
                    Id = r.GetInt64(0),
                    SentAt = StoreColumns.Time(r.GetInt64(3)),
                    Origin = r.GetString(4),
                    Reject = r.GetBoolean(5),
                    Data = r.IsDBNull(6) ? null : _codec.Decode(r.GetFieldValue<byte[]>(6), (BlobFlags)r.GetInt32(7), $"signal {r.GetInt64(0)}"),
                    Control = r.IsDBNull(8) ? null : StoreColumns.Control(r.GetString(8)),
                });
            }

            return (IReadOnlyList<TaskSignal>)list;
        }, cancellationToken);
}
