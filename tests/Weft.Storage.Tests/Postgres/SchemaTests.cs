using Npgsql;
using Weft.Postgres;
using Weft.Testing;
using static Weft.Storage.Tests.Samples;

namespace Weft.Storage.Tests.Postgres;

public sealed class SchemaTests : IAsyncLifetime
{
    private readonly PostgresSchema _schema = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [Fact]
    public async Task Open_CreatesTheSchemaAtTheLatestVersion_AndMigrateThenChangesNothing()
    {
        await (await _schema.OpenAsync()).DisposeAsync();

        var again = await PostgresStore.MigrateAsync(await _schema.OptionsAsync());

        Assert.Equal(Migrations.Latest, await ScalarAsync<int>($"SELECT version FROM \"{_schema.Name}\".schema_version"));
        Assert.False(again.Changed);
        Assert.Equal((Migrations.Latest, Migrations.Latest), (again.FromVersion, again.ToVersion));
    }

    [Fact]
    public async Task Migrate_NewSchema_ReportsFromZero()
    {
        var done = await PostgresStore.MigrateAsync(await _schema.OptionsAsync());

        Assert.Equal((0, Migrations.Latest, true), (done.FromVersion, done.ToVersion, done.Changed));
    }

    [Fact]
    public async Task ConcurrentOpens_OfANewSchema_AllSucceed()
    {
        var options = await _schema.OptionsAsync();

        var stores = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () => await PostgresStore.OpenAsync(options))));

        await stores[0].CreateRunAsync(Run("r1", T0));
        Assert.NotNull(await stores[5].GetRunAsync("r1"));
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task NewerSchema_IsRefusedAndLeftUnmodified()
    {
        var newer = Migrations.Latest + 5;
        await ExecuteAsync($"CREATE SCHEMA \"{_schema.Name}\"; CREATE TABLE \"{_schema.Name}\".schema_version (version int); " +
            $"INSERT INTO \"{_schema.Name}\".schema_version VALUES ({newer}); CREATE TABLE \"{_schema.Name}\".future (x int)");

        var e = await Assert.ThrowsAsync<WeftStoreException>(async () => await _schema.OpenAsync());

        Assert.Contains($"has schema version {newer}, newer than this weft ({Migrations.Latest}); upgrade weft", e.Message);
        Assert.Contains(_schema.Name, e.Message);
        Assert.Equal(newer, await ScalarAsync<int>($"SELECT version FROM \"{_schema.Name}\".schema_version"));
        Assert.Equal(2L, await ScalarAsync<long>($"SELECT count(*) FROM pg_tables WHERE schemaname = '{_schema.Name}'"));
    }

    [Fact]
    public async Task TwoSchemas_InOneDatabase_DoNotSeeEachOthersRuns()
    {
        await using var otherSchema = new PostgresSchema();
        await using var here = await _schema.OpenAsync();
        await using var there = await otherSchema.OpenAsync();

        await here.CreateRunAsync(Run("r1", T0));
        await there.CreateRunAsync(Run("r1", T0)); // the same id is free in the other schema

        Assert.Single(await here.ListRunsAsync(new RunQuery()));
        Assert.Single(await there.ListRunsAsync(new RunQuery()));
        Assert.Equal(otherSchema.Name, there.Connection.Schema);
    }

    [Fact]
    public async Task FromVersion1_AnOutcomeNotYetDequeued_AndARenewedLease_AreKept()
    {
        // A version-1 schema as an older weft left it: one row done but not dequeued, one still running
        // on a worker whose heartbeat renewed its lease, one whose lease ran out.
        var s = _schema.Name;
        await ExecuteAsync($"CREATE SCHEMA \"{s}\"; SET search_path TO \"{s}\"; {Migrations.All[0]}; UPDATE schema_version SET version = 1");
        await ExecuteAsync($$"""
            SET search_path TO "{{s}}";
            INSERT INTO definitions VALUES ('h', 'flow', '\x7b7d', 0);
            INSERT INTO runs (run_id, workflow, definition_hash, state, submitted_at, params) VALUES ('r1', 'flow', 'h', 'running', 0, '{}');
            INSERT INTO queue (run_id, task_id, attempt, queue, definition_hash, worker, claimed_at, lease_until, completed_at, outcome, output, started_at, finished_at)
                VALUES ('r1', 'done', 1, 'default', 'h', 'w1', now(), now() + interval '1 hour', now(), 'succeeded', convert_to('out', 'UTF8'), 10, 20);
            INSERT INTO queue (run_id, task_id, attempt, queue, definition_hash, worker, claimed_at, lease_until)
                VALUES ('r1', 'running', 1, 'default', 'h', 'w1', now(), now() + interval '1 hour');
            INSERT INTO queue (run_id, task_id, attempt, queue, definition_hash, worker, claimed_at, lease_until)
                VALUES ('r1', 'expired', 1, 'default', 'h', 'w2', now(), now() - interval '1 minute');
            """);

        var migrated = await PostgresStore.MigrateAsync(await _schema.OptionsAsync());
        await using var store = await _schema.OpenAsync();

        Assert.Equal((1, Migrations.Latest), (migrated.FromVersion, migrated.ToVersion));
        var done = Assert.Single(await store.ReadCompletionsAsync(10));
        Assert.Equal(("done", "w1", "out"), (done.TaskId, done.Worker, done.Outcome.Output));
        Assert.Equal(["expired"], (await store.ReadLostTasksAsync(10)).Select(t => t.TaskId));
        Assert.Equal(["done", "running", "expired"], (await store.ListQueuedAsync("r1")).Select(t => t.TaskId));
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var c = await TestPostgres.OpenRawAsync();
        await using var command = new NpgsqlCommand(sql, c);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(string sql)
    {
        await using var c = await TestPostgres.OpenRawAsync();
        await using var command = new NpgsqlCommand(sql, c);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
