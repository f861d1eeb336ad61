using Weft.Storage;
using Weft.Cluster;

namespace Weft.Postgres;

/// <summary>Worker registration and heartbeats (table <c>workers</c>); heartbeat times are the database's.</summary>
public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public ValueTask RegisterWorkerAsync(WorkerInfo worker, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(worker);
        return RunAsync("register worker " + worker.Name, async (c, ct) =>
        {
            await using var command = Command(c, """
                INSERT INTO workers (name, host, pid, queues, tags, slots, started_at, heartbeat_at, stopped)
                VALUES (@name, @host, @pid, @queues, @tags, @slots, @started, now(), false)
                ON CONFLICT (name) DO UPDATE SET host = excluded.host, pid = excluded.pid, queues = excluded.queues,
                    tags = excluded.tags, slots = excluded.slots, started_at = excluded.started_at,
                    heartbeat_at = excluded.heartbeat_at, stopped = false
                """);
            command.Parameters.AddWithValue("name", worker.Name);
            command.Parameters.AddWithValue("host", worker.Host);
            command.Parameters.AddWithValue("pid", worker.ProcessId);
            command.Parameters.AddWithValue("queues", worker.Queues.ToArray());
            command.Parameters.AddWithValue("tags", worker.Tags.ToArray());
            command.Parameters.AddWithValue("slots", worker.Slots);
            command.Parameters.AddWithValue("started", worker.StartedAt.UtcTicks);
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            CountCommit();
        }, cancellationToken);
    }

    /// <summary>One statement: the worker's heartbeat, its lease (which covers every row it holds: one
    /// row written, however many tasks it holds), and the ids of its rows without an outcome whose run
    /// was cancelled.</summary>
    public ValueTask<IReadOnlyList<long>> HeartbeatAsync(string worker, TimeSpan leaseFor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(worker);
        return RunAsync<IReadOnlyList<long>>("heartbeat of worker " + worker, async (c, ct) =>
        {
            await using var command = Command(c, """
                WITH beat AS (UPDATE workers SET heartbeat_at = now() WHERE name = @worker),
                lease AS (
                    INSERT INTO worker_leases (worker, lease_until) VALUES (@worker, now() + @lease)
                    ON CONFLICT (worker) DO UPDATE SET lease_until = excluded.lease_until)
                SELECT q.id FROM queue q
                WHERE q.worker = @worker AND q.cancelled AND NOT EXISTS (SELECT 1 FROM completions d WHERE d.id = q.id OFFSET 0)
                ORDER BY q.id
                """);
            command.Parameters.AddWithValue("worker", worker);
            command.Parameters.AddWithValue("lease", leaseFor);
            await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var cancelled = new List<long>();
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                cancelled.Add(r.GetInt64(0));
            }

            CountCommit();
            return cancelled;
        }, cancellationToken);
    }

    /// <summary>Marks the worker stopped and ends its lease; any row it still holds without an outcome (it
    /// should hold none) is then lost at once rather than after its lease.</summary>
    public ValueTask UnregisterWorkerAsync(string worker, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(worker);
        return RunAsync("unregister worker " + worker, async (c, ct) =>
        {
            await using var command = Command(c, """
                WITH released AS (UPDATE queue SET lease_until = now() WHERE worker = @worker),
                ended AS (DELETE FROM worker_leases WHERE worker = @worker)
                UPDATE workers SET stopped = true, heartbeat_at = now() WHERE name = @worker
                """);
            command.Parameters.AddWithValue("worker", worker);
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            CountCommit();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<WorkerInfo>> ListWorkersAsync(CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<WorkerInfo>>("list workers", async (c, ct) =>
        {
            await using var command = Command(c, """
                SELECT w.name, w.host, w.pid, w.queues, w.tags, w.slots, w.started_at, w.heartbeat_at, w.stopped,
                    l.lease_until,
                    -- Lost as ReadLostTasksAsync judges it; a lease older than the registration is a
                    -- previous life of a worker of that name that has registered again since.
                    NOT w.stopped AND l.lease_until <= now() AND l.lease_until >= w.heartbeat_at
                FROM workers w LEFT JOIN worker_leases l ON l.worker = w.name
                ORDER BY w.heartbeat_at DESC, w.name
                """);
            await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var list = new List<WorkerInfo>();
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                list.Add(new WorkerInfo
                {
                    Name = r.GetString(0),
                    Host = r.GetString(1),
                    ProcessId = r.GetInt32(2),
                    Queues = r.GetFieldValue<string[]>(3),
                    Tags = r.GetFieldValue<string[]>(4),
                    Slots = r.GetInt32(5),
                    StartedAt = StoreColumns.Time(r.GetInt64(6)),
                    HeartbeatAt = r.GetFieldValue<DateTimeOffset>(7),
                    Stopped = r.GetBoolean(8),
                    LeaseUntil = r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9),
                    Lost = !r.IsDBNull(10) && r.GetBoolean(10),
                });
            }

            return list;
        }, cancellationToken);
}
