using System.Collections.Concurrent;
using Npgsql;
using Weft.Cluster;
using Weft.Storage;

namespace Weft.Postgres;

public sealed partial class PostgresStore
{
    // Definitions this instance has stored. Another process may purge one meanwhile: a run insert
    // that then fails its foreign key is retried with the definition.
    private readonly ConcurrentDictionary<string, bool> _storedDefinitions = new(StringComparer.Ordinal);

    /// <summary>One round trip, one transaction: the definition (once per content hash), the run row and
    /// a <see cref="ClusterSignal.RunSubmitted"/> NOTIFY. Tasks get rows only as they change, so submit
    /// costs the same for 1 task or 20,000.</summary>
    public async ValueTask CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var definition = _definitions.Encode(run.Definition, _codec);
        var (clear, secrets) = RunParams.Split(run.Definition, run.Params);
        byte[]? secretBlob = null;
        var secretFlags = BlobFlags.None;
        if (secrets.Count > 0)
        {
            secretBlob = _codec.Encode(RunParams.ToJson(secrets), secret: true, out secretFlags);
        }

        // Not retried on connection loss: the first try may have committed, and a retry would then
        // report a duplicate run; the engine's own retry re-reads the store first.
        await RunAsync("record run " + run.RunId, async (c, ct) =>
        {
            for (var withDefinition = !_storedDefinitions.ContainsKey(definition.Hash); ; withDefinition = true)
            {
                await using var batch = new NpgsqlBatch(c);
                if (withDefinition)
                {
                    batch.BatchCommands.Add(ChangeBatch.Command(
                        "INSERT INTO definitions (hash, name, body, body_flags) VALUES (@p0, @p1, @p2, @p3) ON CONFLICT (hash) DO NOTHING",
                        definition.Hash, run.Definition.Name, definition.Body, (int)definition.Flags));
                }

                var insert = ChangeBatch.Command("""
                    INSERT INTO runs (run_id, workflow, definition_hash, state, priority, submitted_at, params, secrets, secrets_flags, not_before, deadline,
                        owner, lease_until, triggered_by, parent_run_id, parent_task_id)
                    VALUES (@p0, @p1, @p2, 'pending', @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14)
                    """,
                    run.RunId, run.Definition.Name, definition.Hash, (object?)(int?)run.Priority ?? DBNull.Value, run.SubmittedAt.UtcTicks,
                    RunParams.ToJson(clear), (object?)secretBlob ?? DBNull.Value, (int)secretFlags,
                    (object?)run.NotBefore?.UtcTicks ?? DBNull.Value, (object?)run.Deadline?.UtcTicks ?? DBNull.Value,
                    (object?)run.Owner?.Name ?? DBNull.Value, (object?)run.Owner?.LeaseUntil.UtcTicks ?? DBNull.Value,
                    (object?)run.TriggeredBy ?? DBNull.Value, (object?)run.ParentRunId ?? DBNull.Value, (object?)run.ParentTaskId ?? DBNull.Value);
                batch.BatchCommands.Add(insert);
                batch.BatchCommands.Add(new NpgsqlBatchCommand(Channels.Notify(_channels.Of1(ClusterSignal.RunSubmitted))));
                try
                {
                    await ExecuteAsync(batch, ct).ConfigureAwait(false);
                    CountCommit();
                    _storedDefinitions.TryAdd(definition.Hash, true);
                    return;
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "runs_pkey")
                {
                    throw new InvalidOperationException($"a run with id '{run.RunId}' already exists", e);
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation && !withDefinition)
                {
                    _storedDefinitions.TryRemove(definition.Hash, out _);
                }
            }
        }, cancellationToken, idempotent: false).ConfigureAwait(false);
    }

    /// <summary>The group-commit path: the batch collapsed to one set-based statement per kind of row,
    /// sent as one <see cref="NpgsqlBatch"/>: one round trip, one (implicit) transaction, NOTIFYs
    /// delivered at its commit. Changes are full latest-state upserts, so retrying after a lost
    /// connection is harmless.</summary>
    public ValueTask WriteAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        var collapsed = new ChangeBatch(_codec);
        for (var i = 0; i < changes.Count; i++)
        {
            collapsed.Add(changes[i]);
        }

        return RunAsync("write changes", async (c, ct) =>
        {
            await using var batch = new NpgsqlBatch(c);
            collapsed.AppendTo(batch, _channels);
            if (batch.BatchCommands.Count > 0)
            {
                await ExecuteAsync(batch, ct).ConfigureAwait(false);
                CountCommit();
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<int> PurgeAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken = default) =>
        RunAsync("purge runs", async (c, ct) =>
        {
            const string Old = "SELECT run_id FROM runs WHERE finished_at < @p0 AND state IN ('succeeded', 'failed', 'cancelled', 'timed_out')";
            await using var batch = new NpgsqlBatch(c);
            string[] tables = ["attempts", "tasks", "completions", "queue", "signals", "runs"];
            foreach (var table in tables)
            {
                batch.BatchCommands.Add(ChangeBatch.Command($"DELETE FROM {table} WHERE run_id IN ({Old})", finishedBefore.UtcTicks));
            }

            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                "DELETE FROM definitions d WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.definition_hash = d.hash)"));
            await ExecuteAsync(batch, ct).ConfigureAwait(false);
            CountCommit();
            _storedDefinitions.Clear();
            return batch.BatchCommands[Array.IndexOf(tables, "runs")].RecordsAffected;
        }, cancellationToken);
}
