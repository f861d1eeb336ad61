using Npgsql;
using Weft.Configuration;
using Weft.Definitions;
using Weft.Sql;
using Weft.Testing;

namespace Weft.Storage.Tests.Sql;

/// <summary>What the SQL task tests share: a schema of their own on the test PostgreSQL server, a
/// SQLite file, and SQL handlers over named connections to them (as the configuration would name them).</summary>
internal sealed class SqlTestBed : IAsyncDisposable
{
    public static readonly TimeSpan HardLimit = TimeSpan.FromSeconds(30);

    private readonly TempDatabase _sqlite = new();

    public string Schema { get; } = TestPostgres.NewSchema();

    public string SqlitePath => _sqlite.Path;

    public async Task InitializeAsync(string postgresSetup, string sqliteSetup)
    {
        await using (var raw = await TestPostgres.OpenRawAsync())
        {
            await using var command = new NpgsqlCommand($"CREATE SCHEMA \"{Schema}\"; SET search_path TO \"{Schema}\"; {postgresSetup}", raw);
            await command.ExecuteNonQueryAsync();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(SqlitePath)!);
        await using var sqlite = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={SqlitePath};Pooling=False");
        await sqlite.OpenAsync();
        await using var create = sqlite.CreateCommand();
        create.CommandText = sqliteSetup;
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>"pg" (the test server, searching this bed's schema) and "lite" (the SQLite file).</summary>
    public async Task<SqlHandler> HandlerAsync(int maxConnections = 10, Func<string, string?>? environment = null)
    {
        var server = await TestPostgres.ConnectionStringAsync();
        var pg = new NpgsqlConnectionStringBuilder(PostgresConnection(server)) { SearchPath = Schema };
        var connections = new Dictionary<string, ConnectionSettings>(StringComparer.OrdinalIgnoreCase)
        {
            ["pg"] = new() { ConnectionString = pg.ConnectionString, MaxConnections = maxConnections },
            ["lite"] = new() { Provider = ConnectionProvider.Sqlite, ConnectionString = "sqlite:" + SqlitePath, MaxConnections = maxConnections },
        };
        return new SqlHandler(new SqlPools(new SqlConnectionDirectory(connections, environment ?? (_ => null))));
    }

    public static string PostgresConnection(string server) => Weft.Postgres.PostgresConnection.Parse(server).ConnectionString;

    public static WorkflowDefinition Load(string yaml) => WorkflowLoader.Parse(yaml, "flow.yaml");

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await TestPostgres.DropSchemaAsync(Schema);
        _sqlite.Dispose();
    }
}
