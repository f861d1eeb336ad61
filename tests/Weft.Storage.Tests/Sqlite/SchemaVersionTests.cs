using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Weft.Sqlite;

namespace Weft.Storage.Tests.Sqlite;

public sealed class SchemaVersionTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task OpenAsync_NewDatabase_IsAtTheLatestVersionInWalMode()
    {
        await (await SqliteStore.OpenAsync(_db.Options())).DisposeAsync();

        Assert.Equal(Migrations.Latest, Convert.ToInt32(Pragma("user_version")));
        Assert.Equal("wal", Pragma("journal_mode"));
    }

    [Fact]
    public async Task OpenAsync_AgainAtTheSameVersion_ChangesNothing()
    {
        await (await SqliteStore.OpenAsync(_db.Options())).DisposeAsync();
        var before = SHA256.HashData(File.ReadAllBytes(_db.Path));

        await (await SqliteStore.OpenAsync(_db.Options())).DisposeAsync();

        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(_db.Path)));
    }

    [Fact]
    public async Task OpenAsync_NewerSchema_IsRefusedAndLeftUnmodified()
    {
        var newer = Migrations.Latest + 5;
        Directory.CreateDirectory(Path.GetDirectoryName(_db.Path)!);
        using (var c = new SqliteConnection($"Data Source={_db.Path};Pooling=False"))
        {
            c.Open();
            using var command = c.CreateCommand();
            command.CommandText = $"CREATE TABLE future (x); INSERT INTO future VALUES (1); PRAGMA user_version = {newer};";
            command.ExecuteNonQuery();
        }

        var before = SHA256.HashData(File.ReadAllBytes(_db.Path));

        var e = await Assert.ThrowsAsync<WeftStoreException>(async () => await SqliteStore.OpenAsync(_db.Options()));

        Assert.Equal($"the database at {_db.Path} has schema version {newer}, newer than this weft ({Migrations.Latest}); upgrade weft", e.Message);
        SqliteConnection.ClearAllPools();
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(_db.Path)));
        Assert.False(File.Exists(_db.Path + "-wal"));
        Assert.Equal("delete", Pragma("journal_mode"));
    }

    private string Pragma(string name)
    {
        using var c = new SqliteConnection($"Data Source={_db.Path};Pooling=False");
        c.Open();
        using var command = c.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
