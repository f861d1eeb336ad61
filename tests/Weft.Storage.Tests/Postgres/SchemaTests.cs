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
