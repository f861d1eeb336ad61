using Npgsql;
using Weft.Storage;

namespace Weft.Postgres;

/// <summary>Run ownership (IWeftStore's contract, as in the other stores). A cluster's leader does not
/// use it: leadership already makes it the one scheduler of every run of the cluster.</summary>
public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public ValueTask<RunOwner?> TakeRunAsync(string runId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil,
        string? replacing = null, CancellationToken cancellationToken = default) =>
        RunAsync("take up run " + runId, async (c, ct) =>
        {
            // Row-locking UPDATE: of two processes taking one run, the second waits for the first's
            // commit and re-checks the condition against its owner. The owner is then read by a
            // statement of its own, whose snapshot sees that commit.
            await using (var take = Command(c, """
                UPDATE runs SET owner = @owner, lease_until = @until
                WHERE run_id = @run AND (owner IS NULL OR owner = @owner OR lease_until <= @now OR owner = @replacing::text)
                RETURNING owner, lease_until
                """))
            {
                take.Parameters.AddWithValue("run", runId);
                take.Parameters.AddWithValue("owner", owner);
                take.Parameters.AddWithValue("until", leaseUntil.UtcTicks);
                take.Parameters.AddWithValue("now", now.UtcTicks);
                take.Parameters.AddWithValue("replacing", (object?)replacing ?? DBNull.Value);
                if (await ReadOwnerAsync(take, ct).ConfigureAwait(false) is { } taken)
                {
                    CountCommit();
                    return taken;
                }
            }

            await using var read = Command(c, "SELECT owner, lease_until FROM runs WHERE run_id = @run");
            read.Parameters.AddWithValue("run", runId);
            return await ReadOwnerAsync(read, ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> RenewRunsAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        RunAsync("renew the lease of runs", async (c, ct) =>
        {
            await using var command = Command(c, "UPDATE runs SET lease_until = @until WHERE owner = @owner");
            command.Parameters.AddWithValue("owner", owner);
            command.Parameters.AddWithValue("until", leaseUntil.UtcTicks);
            var renewed = await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            CountCommit();
            return renewed;
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask ReleaseRunsAsync(string owner, CancellationToken cancellationToken = default) =>
        RunAsync("release runs", async (c, ct) =>
        {
            await using var command = Command(c, "UPDATE runs SET owner = NULL, lease_until = NULL WHERE owner = @owner");
            command.Parameters.AddWithValue("owner", owner);
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            CountCommit();
        }, cancellationToken);

    private static async Task<RunOwner?> ReadOwnerAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) && !r.IsDBNull(0)
            ? new RunOwner(r.GetString(0), StoreColumns.Time(r.GetInt64(1)))
            : null;
    }
}
