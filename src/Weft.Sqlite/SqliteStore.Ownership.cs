using Microsoft.Data.Sqlite;
using Weft.Storage;

namespace Weft.Sqlite;

public sealed partial class SqliteStore
{
    /// <inheritdoc />
    public async ValueTask<RunOwner?> TakeRunAsync(string runId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil,
        string? replacing = null, CancellationToken cancellationToken = default)
    {
        RunOwner? result = null;

        // The writer's immediate transaction: of two processes taking one run, the second waits for
        // the first's commit and then sees its owner.
        await WriteLockedAsync("take up run " + runId, () =>
        {
            using var command = OwnershipCommand("""
                UPDATE runs SET owner = $owner, lease_until = $until
                WHERE run_id = $run AND (owner IS NULL OR owner = $owner OR lease_until <= $now OR owner = $replacing)
                """);
            command.Parameters.AddWithValue("$run", runId);
            command.Parameters.AddWithValue("$owner", owner);
            command.Parameters.AddWithValue("$until", leaseUntil.UtcTicks);
            command.Parameters.AddWithValue("$now", now.UtcTicks);
            command.Parameters.AddWithValue("$replacing", (object?)replacing ?? DBNull.Value);
            command.ExecuteNonQuery();
            command.CommandText = "SELECT owner, lease_until FROM runs WHERE run_id = $run";
            using var r = command.ExecuteReader();
            if (r.Read() && !r.IsDBNull(0))
            {
                result = new RunOwner(r.GetString(0), StoreColumns.Time(r.GetInt64(1)));
            }
        }, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <inheritdoc />
    public async ValueTask<int> RenewRunsAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        var renewed = 0;
        await WriteLockedAsync("renew the lease of runs", () =>
        {
            using var command = OwnershipCommand("UPDATE runs SET lease_until = $until WHERE owner = $owner");
            command.Parameters.AddWithValue("$owner", owner);
            command.Parameters.AddWithValue("$until", leaseUntil.UtcTicks);
            renewed = command.ExecuteNonQuery();
        }, cancellationToken).ConfigureAwait(false);
        return renewed;
    }

    /// <inheritdoc />
    public ValueTask ReleaseRunsAsync(string owner, CancellationToken cancellationToken = default) =>
        WriteLockedAsync("release runs", () =>
        {
            using var command = OwnershipCommand("UPDATE runs SET owner = NULL, lease_until = NULL WHERE owner = $owner");
            command.Parameters.AddWithValue("$owner", owner);
            command.ExecuteNonQuery();
        }, cancellationToken);

    private SqliteCommand OwnershipCommand(string sql)
    {
        var command = _writer.CreateCommand();
        command.CommandText = sql;
        command.Transaction = _commands.Current;
        _statements++;
        return command;
    }
}
