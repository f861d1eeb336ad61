using Weft.Postgres;

namespace Weft.Storage.Tests.Postgres;

public sealed class ConnectionStringTests
{
    [Theory]
    [InlineData("postgres://alice:s3cret@db.example:6543/weftdb?schema=prod&sslmode=require", "db.example", 6543, "weftdb", "alice", "s3cret", "prod")]
    [InlineData("postgresql://bob@localhost/app", "localhost", 5432, "app", "bob", null, "weft")]
    [InlineData("postgres://u:p%40ss%3Aword@10.0.0.5:5433/d", "10.0.0.5", 5433, "d", "u", "p@ss:word", "weft")]
    [InlineData("Host=pg.internal;Port=5444;Database=jobs;Username=carol;Password=pw;Schema=team_a", "pg.internal", 5444, "jobs", "carol", "pw", "team_a")]
    [InlineData("Host=127.0.0.1;Database=postgres", "127.0.0.1", 5432, "postgres", null, null, "weft")]
    public void Parse_GoodStrings_GiveServerAndSchema(string text, string host, int port, string database, string? user, string? password, string schema)
    {
        var parsed = PostgresConnection.Parse(text);
        var npgsql = new Npgsql.NpgsqlConnectionStringBuilder(parsed.ConnectionString);

        Assert.Equal(host, npgsql.Host);
        Assert.Equal(port, npgsql.Port);
        Assert.Equal(database, npgsql.Database);
        Assert.Equal(user, npgsql.Username);
        Assert.Equal(password, npgsql.Password);
        Assert.Equal(schema, parsed.Schema);
        Assert.DoesNotContain("s3cret", parsed.ToString());
    }

    [Fact]
    public void Parse_UriSslMode_ReachesNpgsql()
    {
        var npgsql = new Npgsql.NpgsqlConnectionStringBuilder(PostgresConnection.Parse("postgres://h/d?sslmode=require").ConnectionString);

        Assert.Equal(Npgsql.SslMode.Require, npgsql.SslMode);
    }

    [Theory]
    [InlineData("postgres://h/d?schema=Bad-Name", "schema 'Bad-Name' is not a valid name")]
    [InlineData("postgres://h/d?bogus=1", "unknown connection parameter 'bogus'")]
    [InlineData("postgres://h/d?sslmode=sometimes", "connection parameter 'sslmode' has an invalid value 'sometimes'")]
    [InlineData("postgres://h:notaport/d", "is not a valid URI")]
    [InlineData("postgres:///d", "the URI names no host")]
    [InlineData("postgres://h/a/b", "the URI path '/a/b' is not a database name")]
    [InlineData("Database=x", "the connection string has no Host=")]
    [InlineData("Host=h;Frobnicate=2", "unknown connection parameter 'frobnicate'")]
    [InlineData("Host=h;Port=abc", "connection parameter 'port' has an invalid value 'abc'")]
    [InlineData("just some words", "is neither a postgres:// URI nor a keyword connection string")]
    public void Parse_BadStrings_NameTheBadPart(string text, string expected)
    {
        var e = Assert.Throws<WeftConfigurationException>(() => PostgresConnection.Parse(text));

        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Parse_BadUri_NeverEchoesThePassword()
    {
        var e = Assert.Throws<WeftConfigurationException>(() => PostgresConnection.Parse("postgres://u:topsecret@h:x/d"));

        Assert.DoesNotContain("topsecret", e.Message);
    }

    [Fact]
    public async Task OpenAsync_BadOptions_ReportsEveryProblemTogether()
    {
        var options = new PostgresStoreOptions { ConnectionString = "postgres://h/d", Schema = "1abc", EncryptionKey = new byte[3], CompressionThreshold = -1 };

        var e = await Assert.ThrowsAsync<WeftConfigurationException>(async () => await PostgresStore.OpenAsync(options));

        Assert.Equal(3, e.Errors.Count);
        Assert.Contains("PostgresStoreOptions.Schema: schema '1abc' is not a valid name", e.Errors[0]);
    }

    [Fact]
    public void SchemaOption_OverridesTheConnectionStringsSchema()
    {
        var (connection, errors) = new PostgresStoreOptions { ConnectionString = "postgres://h/d?schema=a", Schema = "b" }.Validate();

        Assert.Empty(errors);
        Assert.Equal("b", connection!.Schema);
    }
}
