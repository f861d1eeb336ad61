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

    // Runs submitted and not yet committed; runs submitted while a commit is in flight share the next one.
    private readonly PendingRuns _pendingRuns = new();

    /// <summary>The definition (once per content hash), the run row and a <see cref="ClusterSignal.RunSubmitted"/>
    /// NOTIFY, committed before it returns. Runs submitted while a commit is in flight share the next one
    /// (<see cref="PendingRuns"/>): one round trip, one transaction, one pooled connection for all of them.
    /// Tasks get rows only as they change, so submit costs the same for 1 task or 20,000.</summary>
    public async ValueTask CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var pending = PendingRun.Encode(run, _definitions, _codec);

        // The last moment a cancel leaves nothing behind: once queued, the run is written with its batch.
        cancellationToken.ThrowIfCancellationRequested();
        await _pendingRuns.SubmitAsync(pending, batch =>
            // Not retried on connection loss: the first try may have committed, and a retry would then
            // refuse its runs as duplicates; the engine's own retry re-reads the store first.
            RunAsync(PendingRun.Describe(batch), (c, ct) => InsertRunsAsync(c, batch, ct), CancellationToken.None, idempotent: false).AsTask()).ConfigureAwait(false);
    }

    // One batch of runs in one implicit transaction. A run whose id exists is skipped by its own insert
    // (ON CONFLICT DO NOTHING affects no row) and refused alone, so it does not take the others with it;
    // a definition purged by another process meanwhile fails the batch's foreign key, and it is sent
    // again with every definition.
    private async Task InsertRunsAsync(NpgsqlConnection connection, List<PendingRun> runs, CancellationToken ct)
    {
        for (var withDefinitions = false; ; withDefinitions = true)
        {
            await using var batch = new NpgsqlBatch(connection);
            var written = new HashSet<string>(StringComparer.Ordinal);
            foreach (var pending in runs)
            {
                var hash = pending.Definition.Hash;
                if ((withDefinitions || !_storedDefinitions.ContainsKey(hash)) && written.Add(hash))
                {
                    batch.BatchCommands.Add(ChangeBatch.Command(
                        "INSERT INTO definitions (hash, name, body, body_flags) VALUES (@p0, @p1, @p2, @p3) ON CONFLICT (hash) DO NOTHING",
                        hash, pending.Run.Definition.Name, pending.Definition.Body, (int)pending.Definition.Flags));
                }
            }

            var first = batch.BatchCommands.Count;
            foreach (var pending in runs)
            {
                batch.BatchCommands.Add(InsertRun(pending));
            }

            batch.BatchCommands.Add(new NpgsqlBatchCommand(Channels.Notify(_channels.Of1(ClusterSignal.RunSubmitted))));
            try
            {
                await ExecuteAsync(batch, ct).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation && !withDefinitions)
            {
                // A definition this instance had stored was purged since: the batch again, with every definition.
                continue;
            }

            CountCommit();
            for (var i = 0; i < runs.Count; i++)
            {
                var run = runs[i].Run;
                _storedDefinitions.TryAdd(runs[i].Definition.Hash, true);
                runs[i].Refused = batch.BatchCommands[first + i].RecordsAffected == 0
                    ? new InvalidOperationException($"a run with id '{run.RunId}' already exists")
                    : null;
            }

            return;
        }
    }

    private static NpgsqlBatchCommand InsertRun(PendingRun pending)
    {
        var run = pending.Run;
        return ChangeBatch.Command("""
            INSERT INTO runs (run_id, workflow, definition_hash, state, priority, submitted_at, params, secrets, secrets_flags, not_before, deadline,
                owner, lease_until, triggered_by, parent_run_id, parent_task_id)
            VALUES (@p0, @p1, @p2, 'pending', @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14)
            ON CONFLICT (run_id) DO NOTHING
            """,
            run.RunId, run.Definition.Name, pending.Definition.Hash, (object?)(int?)run.Priority ?? DBNull.Value, run.SubmittedAt.UtcTicks,
            pending.ClearParams, (object?)pending.Secrets ?? DBNull.Value, (int)pending.SecretFlags,
            (object?)run.NotBefore?.UtcTicks ?? DBNull.Value, (object?)run.Deadline?.UtcTicks ?? DBNull.Value,
            (object?)run.Owner?.Name ?? DBNull.Value, (object?)run.Owner?.LeaseUntil.UtcTicks ?? DBNull.Value,
            (object?)run.TriggeredBy ?? DBNull.Value, (object?)run.ParentRunId ?? DBNull.Value, (object?)run.ParentTaskId ?? DBNull.Value);
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
