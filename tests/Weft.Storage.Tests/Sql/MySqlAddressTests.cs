using MySqlConnector;
using Weft.Configuration;
using Weft.Sql;

namespace Weft.Storage.Tests.Sql;

/// <summary>How a named connection's text becomes a MySQL target: the URL forms choose the provider
/// themselves, the keyword form needs <c>provider: mysql</c>, and no message repeats a password.</summary>
public sealed class MySqlAddressTests
{
    [Theory]
    [InlineData("mysql://app:s%40cret@db.example:3307/shop?SslMode=None", ConnectionProvider.Postgres, "db.example", 3307u, "app", "s@cret", "shop")]
    [InlineData("mariadb://app@db.example/shop", ConnectionProvider.Sqlite, "db.example", 3306u, "app", "", "shop")]
    [InlineData("MYSQL://10.0.0.5", ConnectionProvider.Mysql, "10.0.0.5", 3306u, "", "", "")]
    [InlineData("Server=db.example;Port=3310;Database=shop;User ID=app;Password=s3cret", ConnectionProvider.Mysql, "db.example", 3310u, "app", "s3cret", "shop")]
    public void AUrlOrTheKeywordFormOfMysql_GivesAMysqlTarget(string text, ConnectionProvider configured, string server, uint port, string user, string password, string database)
    {
        var target = SqlTarget.TryParse(text, configured, out var error);

        Assert.Null(error);
        Assert.NotNull(target);
        Assert.Equal(ConnectionProvider.Mysql, target.Provider);
        Assert.Equal($"mysql://{server}:{port}/{database}", target.Description);
        var built = new MySqlConnectionStringBuilder(target.ConnectionString);
        Assert.Equal((server, port, user, password, database), (built.Server, built.Port, built.UserID, built.Password, built.Database));
    }

    [Fact]
    public void AUrlsQueryParameters_AreMySqlConnectorKeywords()
    {
        var target = SqlTarget.TryParse("mysql://app:pw@db/shop?SslMode=Required&ConnectionTimeout=7", ConnectionProvider.Postgres, out _);

        var built = new MySqlConnectionStringBuilder(target!.ConnectionString);
        Assert.Equal(MySqlSslMode.Required, built.SslMode);
        Assert.Equal(7u, built.ConnectionTimeout);
    }

    [Theory]
    [InlineData("mysql://app:hunter2@/shop", ConnectionProvider.Postgres, "names no host")]
    [InlineData("mysql://app:hunter2@db/shop/more", ConnectionProvider.Postgres, "the URL path '/shop/more' is not a database name")]
    [InlineData("mysql://app:hunter2@db/shop?Bogus=1", ConnectionProvider.Postgres, "unknown connection parameter 'Bogus'")]
    [InlineData("mysql://app:hunter2@db/shop?Port=many", ConnectionProvider.Postgres, "connection parameter 'Port' has an invalid value 'many'")]
    [InlineData("Server=db;Password=hunter2;Port=many", ConnectionProvider.Mysql, "connection parameter 'port' has an invalid value 'many'")]
    [InlineData("Database=shop;Password=hunter2", ConnectionProvider.Mysql, "the connection string has no Server=…")]
    [InlineData("Server=db;Password=hunter2;Colour=blue", ConnectionProvider.Mysql, "unknown connection parameter 'colour'")]
    [InlineData("Server=db;Password='hunter2", ConnectionProvider.Mysql, "neither a mysql:// URL nor a keyword connection string")]
    public void ABadMysqlConnection_SaysWhatIsWrong_WithoutThePassword(string text, ConnectionProvider configured, string expected)
    {
        var target = SqlTarget.TryParse(text, configured, out var error);

        Assert.Null(target);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadConnectionFromTheEnvironment_NamesTheVariable()
    {
        var directory = new SqlConnectionDirectory(new Dictionary<string, ConnectionSettings>(), n => n == "WEFT_CONNECTION_SHOP" ? "mysql://app:hunter2@/shop" : null);

        Assert.Null(directory.Find("shop", out var error));
        Assert.Equal("connection 'shop' (WEFT_CONNECTION_SHOP) is not usable: the URL names no host (mysql://user:password@HOST:port/database)", error);
    }

    [Theory]
    [InlineData("mysql://app:hunter2@db/shop", ConnectionProvider.Mysql)]
    [InlineData("postgres://app:hunter2@db/shop", ConnectionProvider.Postgres)]
    [InlineData("Host=db;Username=app;Password=hunter2;Database=shop", ConnectionProvider.Postgres)]
    public void ATargetShownAsText_IsItsDescription_NeverItsPassword(string text, ConnectionProvider provider)
    {
        var target = SqlTarget.TryParse(text, provider, out _);

        Assert.NotNull(target);
        Assert.Equal(target.Description, target.ToString());
        Assert.DoesNotContain("hunter2", $"{target}", StringComparison.Ordinal);
    }
}
