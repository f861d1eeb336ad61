using MySqlConnector;

namespace Weft.Testing;

/// <summary>The MySQL or MariaDB server the tests use, named by <c>WEFT_TEST_MYSQL</c>: MySqlConnector's
/// keyword form (<c>Server=127.0.0.1;Port=3306;User ID=weft;Password=…</c>), as scripts/test.sh exports it
/// after starting a throwaway MariaDB. Without it the tests fail with a message that says what to do;
/// they do not skip. Each test takes a database of its own (<see cref="NewDatabaseAsync"/>).</summary>
internal static class TestMySql
{
    public const string Variable = "WEFT_TEST_MYSQL";

    /// <summary>The server's connection string, without a database.</summary>
    public static MySqlConnectionStringBuilder Server()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(given))
        {
            throw new InvalidOperationException(
                $"the MySQL/MariaDB tests need a server: set {Variable} (e.g. Server=127.0.0.1;Port=3306;User ID=root;Password=…), " +
                "or run scripts/test.sh, which installs Debian's mariadb-server when missing and starts a throwaway one");
        }

        return new MySqlConnectionStringBuilder(given) { Database = "" };
    }

    /// <summary>The connection string of <paramref name="database"/> (keyword form).</summary>
    public static string ConnectionString(string database) => new MySqlConnectionStringBuilder(Server().ConnectionString) { Database = database }.ConnectionString;

    /// <summary>The same as a <c>mysql://user:password@host:port/database</c> URL.</summary>
    public static string Url(string database, string? password = null)
    {
        var server = Server();
        return $"mysql://{Uri.EscapeDataString(server.UserID)}:{Uri.EscapeDataString(password ?? server.Password)}@{server.Server}:{server.Port}/{database}";
    }

    /// <summary>A new, empty database no other test uses.</summary>
    public static async Task<string> NewDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..20];
        await ExecuteAsync($"CREATE DATABASE `{name}`");
        return name;
    }

    /// <summary>Drops a test's database (best effort).</summary>
    public static async Task DropDatabaseAsync(string database)
    {
        try
        {
            await ExecuteAsync($"DROP DATABASE IF EXISTS `{database}`");
        }
        catch (MySqlException)
        {
        }
    }

    /// <summary>A connection outside any pool of the code under test (setting up tables, watching the server).</summary>
    public static async Task<MySqlConnection> OpenRawAsync(string? database = null)
    {
        var builder = new MySqlConnectionStringBuilder(Server().ConnectionString) { Pooling = false, AllowUserVariables = true };
        if (database is not null)
        {
            builder.Database = database;
        }

        var connection = new MySqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenRawAsync();
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
