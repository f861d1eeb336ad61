using Microsoft.Data.Sqlite;
using Weft.Storage;

namespace Weft.Sqlite;

public sealed partial class SqliteStore
{
    // Definitions this instance has stored; purge clears it, since purge may delete definitions.
    private readonly HashSet<string> _storedDefinitions = new(StringComparer.Ordinal);

    // Under the write gate: a row changed twice in one batch is written once.
    private readonly LatestChanges _latest = new();

    // Runs submitted and not yet committed; their flusher takes the write gate like any write.
    private readonly PendingRuns _pendingRuns = new();

    /// <summary>The definition (once per content hash) and the run row, committed before it returns.
    /// Tasks get rows only as they change, so submit costs the same for 1 task or 20,000; runs submitted
    /// while a commit is in flight share the next one (<see cref="PendingRuns"/>).</summary>
    public async ValueTask CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var pending = PendingRun.Encode(run, _definitions, _codec);

        // The last moment a cancel leaves nothing behind: once queued, the run is written with its batch
        // (a caller told "cancelled" while its run was recorded would leave an orphan to be resumed).
        cancellationToken.ThrowIfCancellationRequested();
        await _pendingRuns.SubmitAsync(pending, InsertRunsAsync).ConfigureAwait(false);
    }

    // One batch of queued runs in one transaction, under the write gate like any write.
    private async Task InsertRunsAsync(List<PendingRun> batch)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        await WriteLockedAsync(PendingRun.Describe(batch), () =>
        {
            written.Clear();
            foreach (var pending in batch)
            {
                pending.Refused = null;
                InsertRun(pending, written);
            }
        }, CancellationToken.None, committed: () => _storedDefinitions.UnionWith(written)).ConfigureAwait(false);
    }

    // Under the write gate, inside the batch's transaction.
    private void InsertRun(PendingRun pending, HashSet<string> written)
    {
        var run = pending.Run;
        var hash = pending.Definition.Hash;
        if (!_storedDefinitions.Contains(hash) && written.Add(hash))
        {
            Exec(_commands.Definition, hash, run.Definition.Name, pending.Definition.Body, (long)pending.Definition.Flags);
        }

        try
        {
            Exec(_commands.Run, run.RunId, run.Definition.Name, hash, (long?)run.Priority, run.SubmittedAt.UtcTicks,
                pending.ClearParams, pending.Secrets, (long)pending.SecretFlags, run.NotBefore?.UtcTicks, run.Deadline?.UtcTicks,
                run.Owner?.Name, run.Owner?.LeaseUntil.UtcTicks, run.TriggeredBy, run.ParentRunId, run.ParentTaskId);
        }
        catch (SqliteException e) when (e.SqliteExtendedErrorCode == 1555)
        {
            // SQLITE_CONSTRAINT_PRIMARYKEY: only this statement is undone, the batch goes on; same
            // contract as MemoryStore.
            pending.Refused = new InvalidOperationException($"a run with id '{run.RunId}' already exists", e);
        }
    }

    /// <summary>The group-commit path: every change in one transaction, through prepared statements;
    /// each row once, with its last state in the batch (<see cref="LatestChanges"/>).</summary>
    public ValueTask WriteAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        return WriteLockedAsync("write changes", () => _latest.ForEach(changes, c => Apply(c)), cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<int> PurgeAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken = default)
    {
        var purged = 0;
        await WriteLockedAsync("purge runs", () =>
        {
            const string Old = "SELECT run_id FROM runs WHERE finished_at < $before AND state IN ('succeeded', 'failed', 'cancelled', 'timed_out')";
            using var command = _writer.CreateCommand();
            command.Transaction = _commands.Current;
            command.Parameters.AddWithValue("$before", finishedBefore.UtcTicks);
            foreach (var sql in new[] { $"DELETE FROM attempts WHERE run_id IN ({Old})", $"DELETE FROM tasks WHERE run_id IN ({Old})", $"DELETE FROM signals WHERE run_id IN ({Old})" })
            {
                command.CommandText = sql;
                command.ExecuteNonQuery();
            }

            command.CommandText = $"DELETE FROM runs WHERE run_id IN ({Old})";
            purged = command.ExecuteNonQuery();
            command.CommandText = "DELETE FROM definitions WHERE hash NOT IN (SELECT definition_hash FROM runs)";
            command.ExecuteNonQuery();
            _statements += 5;
            _storedDefinitions.Clear();
        }, cancellationToken).ConfigureAwait(false);
        return purged;
    }

    private void Apply(in StoreChange c)
    {
        switch (c.Kind)
        {
            case StoreChangeKind.Run:
                Exec(_commands.RunState, c.RunId, c.RunState.ToName(), c.StartedAt?.UtcTicks, c.FinishedAt?.UtcTicks);
                break;
            case StoreChangeKind.Task:
                var taskError = EncodeError(c.Error, out var taskErrorFlags);
                Exec(_commands.Task, c.RunId, c.TaskId, c.TaskState.ToName(), (long)c.Attempt, c.StartedAt?.UtcTicks,
                    c.FinishedAt?.UtcTicks, taskError, (long?)c.ExitCode, c.RetryDueAt?.UtcTicks, (long)taskErrorFlags);
                break;
            case StoreChangeKind.Attempt:
                var output = Encode(c.Output, out var outputFlags);
                var stderr = Encode(c.Stderr, out var stderrFlags);
                var error = EncodeError(c.Error, out var errorFlags);
                Exec(_commands.Attempt, c.RunId, c.TaskId, (long)c.Attempt, c.StartedAt?.UtcTicks, c.FinishedAt?.UtcTicks,
                    c.Outcome is { } o ? StoreColumns.Of(o) : null, output, (long)outputFlags, c.OutputTruncated ? 1L : 0L,
                    stderr, (long)stderrFlags, error, (long?)c.ExitCode, (long?)c.HttpStatus, c.Worker, (long)errorFlags);
                break;
            case StoreChangeKind.SignalTaken:
                TakeSignal(c);
                break;
        }
    }

    private byte[]? Encode(string? text, out BlobFlags flags)
    {
        flags = BlobFlags.None;
        return text is null ? null : _codec.Encode(text, secret: true, out flags);
    }

    // An error can carry what a task printed or a rendered URL: encrypted like outputs when a key is
    // set. Kept as text when the codec leaves it as it is, so the sqlite3 shell still shows it.
    private object? EncodeError(string? text, out BlobFlags flags)
    {
        var bytes = Encode(text, out flags);
        return flags == BlobFlags.None ? text : bytes;
    }

    // params span: no array per row on the group-commit path (values still box).
    private void Exec(RawStatement statement, params ReadOnlySpan<object?> values)
    {
        statement.Execute(values);
        _statements++;
    }

    /// <summary>Runs <paramref name="write"/> in one immediate transaction on the writer, one at a
    /// time; commits (fsynced: synchronous=FULL) before returning. <paramref name="committed"/> runs
    /// under the same gate once the commit succeeded, for in-memory state that must match the file.</summary>
    private async ValueTask WriteLockedAsync(string doing, Action write, CancellationToken cancellationToken, Action? committed = null)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var tx = _commands.Begin(_writer);
            write();
            tx.Commit();
            _commits++;
            committed?.Invoke();
        }
        catch (SqliteException e)
        {
            throw StoreError.From(e, _path, doing);
        }
        finally
        {
            _writeGate.Release();
        }
    }
}
