using MySqlConnector;
using Weft.Configuration;
using Weft.Sql;
using Weft.Testing;

namespace Weft.Storage.Tests.Sql;

/// <summary>What the MySQL task tests share: a database of their own on the test MariaDB server, and SQL
/// handlers over a named connection "my" to it (as the configuration would name it).</summary>
internal sealed class MySqlTestBed : IAsyncDisposable
{
    public string Database { get; private set; } = "";

    public async Task InitializeAsync(string setup)
    {
        Database = await TestMySql.NewDatabaseAsync();
        await using var raw = await TestMySql.OpenRawAsync(Database);
        await using var command = new MySqlCommand(setup, raw);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>"my": this bed's database, by the keyword form and <c>provider: mysql</c>.</summary>
    public SqlHandler Handler(int maxConnections = 10, bool preparedStatements = true, Func<string, string?>? environment = null)
    {
        var connections = new Dictionary<string, ConnectionSettings>(StringComparer.OrdinalIgnoreCase)
        {
            ["my"] = new()
            {
                Provider = ConnectionProvider.Mysql,
                ConnectionString = TestMySql.ConnectionString(Database),
                MaxConnections = maxConnections,
                PreparedStatements = preparedStatements,
            },
        };
        return new SqlHandler(new SqlPools(new SqlConnectionDirectory(connections, environment ?? (_ => null))));
    }

    /// <summary>A scalar read outside the handler's pool.</summary>
    public async Task<string?> ScalarAsync(string sql)
    {
        await using var raw = await TestMySql.OpenRawAsync(Database);
        await using var command = new MySqlCommand(sql, raw);
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        MySqlConnection.ClearAllPools();
        if (Database.Length > 0)
        {
            await TestMySql.DropDatabaseAsync(Database);
        }
    }
}
