using Npgsql;
using Weft.Postgres;
using Weft.Testing;
using static Weft.Storage.Tests.Samples;

namespace Weft.Storage.Tests.Postgres;

/// <summary>A store whose every pooled connection is busy (a burst of submits on a loaded server) fails the
/// call that waited past the connection string's Timeout with an error that says so and names the settings
/// to raise, not "the server did not answer". The wait is Npgsql's own (one second here), not a test sleep.</summary>
public sealed class PoolExhaustedTests
{
    [Fact]
    public async Task A_call_that_finds_every_pooled_connection_busy_says_the_pool_is_exhausted_and_the_other_goes_through()
    {
        await using var schema = new PostgresSchema();
        var connectionString = PostgresConnection.Parse(await TestPostgres.ConnectionStringAsync()).ConnectionString;
        await using var store = await PostgresStore.OpenAsync(new PostgresStoreOptions
        {
            ConnectionString = $"{connectionString};Schema={schema.Name};Maximum Pool Size=1;Timeout=1;Application Name={schema.Name}",
        });

        // Another session holds the runs table: the store's one connection waits on it with the create, and
        // a read, which needs a connection of its own, waits for one. (Runs submitted together share one
        // connection and one commit, so the second caller is a read, not another create.)
        await using var other = new NpgsqlConnection(connectionString);
        await other.OpenAsync();
        await using var lockHolder = await other.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand($"LOCK TABLE \"{schema.Name}\".runs IN ACCESS EXCLUSIVE MODE", other, lockHolder))
        {
            await take.ExecuteNonQueryAsync();
        }

        var create = store.CreateRunAsync(Run("r1", T0)).AsTask();
        await WaitForALockWaitAsync(other, schema.Name);

        var e = await Assert.ThrowsAsync<WeftStoreException>(async () => await store.GetRunAsync("r0"));
        Assert.Contains("no connection of the pool came free in time", e.Message);
        Assert.Contains("Max Pool Size", e.Message);
        Assert.DoesNotContain("the server did not answer", e.Message);
        Assert.True(e.IsTransient); // a retrying caller (the journal writer) tries again
        DateTime failedAt;
        await using (var clock = new NpgsqlCommand("SELECT clock_timestamp()", other, lockHolder))
        {
            failedAt = (DateTime)(await clock.ExecuteScalarAsync())!;
        }

        await lockHolder.RollbackAsync();
        await create.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(await store.GetRunAsync("r1"));

        // The pool was not cleared for it: its one connection, busy all along, is still the store's (a
        // cleared pool closes it when it comes back, and the read above opens a new one).
        await using var sessions = new NpgsqlCommand("SELECT max(backend_start) FROM pg_stat_activity WHERE application_name = $1", other);
        sessions.Parameters.AddWithValue(schema.Name);
        var newest = (DateTime)(await sessions.ExecuteScalarAsync())!;
        Assert.True(newest < failedAt, $"the store's newest connection began at {newest:O}, after the failure at {failedAt:O}");
    }

    // Until the store's session (named by its Application Name) waits on the table lock: a state of the
    // server, polled, not a length of time.
    private static async Task WaitForALockWaitAsync(NpgsqlConnection other, string applicationName)
    {
        await using var waiting = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'", other);
        waiting.Parameters.AddWithValue(applicationName);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((long)(await waiting.ExecuteScalarAsync())! == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the store's create never waited on the table lock");
            await Task.Delay(10);
        }
    }
}
