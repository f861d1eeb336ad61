using Weft.Storage;

namespace Weft.Sqlite;

/// <summary>Signals for waiting tasks (table <c>signals</c>): recorded by whoever sends one, in any
/// process on the file; taken by the run's scheduler in the transaction that records their effect.
/// The data is a blob through the codec, like outputs (encrypted when a key is set).</summary>
public sealed partial class SqliteStore
{
    private const string SignalColumns = "id, run_id, task_id, sent_at, origin, reject, data, data_flags, control";

    /// <inheritdoc />
    public async ValueTask<TaskSignal> AddSignalAsync(TaskSignal signal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var recorded = signal;
        await WriteLockedAsync($"record a signal for task {signal.TaskId} of run {signal.RunId}", () =>
        {
            using var insert = Command("""
                INSERT INTO signals (run_id, task_id, sent_at, origin, reject, data, data_flags, control)
                VALUES ($run, $task, $at, $origin, $reject, $data, $flags, $control) RETURNING id
                """);
            var data = Encode(signal.Data, out var flags);
            insert.Parameters.AddWithValue("$run", signal.RunId);
            insert.Parameters.AddWithValue("$task", signal.TaskId);
            insert.Parameters.AddWithValue("$at", signal.SentAt.UtcTicks);
            insert.Parameters.AddWithValue("$origin", signal.Origin);
            insert.Parameters.AddWithValue("$reject", signal.Reject ? 1 : 0);
            insert.Parameters.AddWithValue("$data", (object?)data ?? DBNull.Value);
            insert.Parameters.AddWithValue("$flags", (long)flags);
            insert.Parameters.AddWithValue("$control", (object?)StoreColumns.Of(signal.Control) ?? DBNull.Value);
            recorded = signal with { Id = (long)insert.ExecuteScalar()! };
            _statements++;
        }, cancellationToken).ConfigureAwait(false);
        return recorded;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TaskSignal>> PendingSignalsAsync(int limit = 1000, CancellationToken cancellationToken = default) =>
        new(Read("read pending signals", c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = $"SELECT {SignalColumns} FROM signals WHERE taken_at IS NULL ORDER BY id LIMIT $limit";
            command.Parameters.AddWithValue("$limit", limit);
            using var r = command.ExecuteReader();
            var list = new List<TaskSignal>();
            while (r.Read())
            {
                list.Add(new TaskSignal(r.GetString(1), r.GetString(2))
                {
                    Id = r.GetInt64(0),
                    SentAt = new DateTimeOffset(r.GetInt64(3), TimeSpan.Zero),
                    Origin = r.GetString(4),
                    Reject = r.GetInt64(5) != 0,
                    Data = r.IsDBNull(6) ? null : _codec.Decode((byte[])r[6], (BlobFlags)r.GetInt32(7), $"signal {r.GetInt64(0)}"),
                    Control = r.IsDBNull(8) ? null : StoreColumns.Control(r.GetString(8)),
                });
            }

            return (IReadOnlyList<TaskSignal>)list;
        }));

    // Inside the writer's transaction (Apply): the signal's effect is in the same batch.
    private void TakeSignal(in StoreChange c)
    {
        using var update = Command("UPDATE signals SET taken_at = $at WHERE id = $id");
        update.Parameters.AddWithValue("$at", (c.FinishedAt ?? DateTimeOffset.UnixEpoch).UtcTicks);
        update.Parameters.AddWithValue("$id", c.QueueId);
        update.ExecuteNonQuery();
        _statements++;
    }
}
