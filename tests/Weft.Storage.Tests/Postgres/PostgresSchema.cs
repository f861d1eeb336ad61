using Weft.Postgres;
using Weft.Testing;

namespace Weft.Storage.Tests.Postgres;

/// <summary>A fresh schema of its own on the test server, dropped on dispose.</summary>
internal sealed class PostgresSchema : IAsyncDisposable
{
    public string Name { get; } = TestPostgres.NewSchema();

    public async Task<PostgresStoreOptions> OptionsAsync(byte[]? key = null, int threshold = 1024) =>
        new() { ConnectionString = await TestPostgres.ConnectionStringAsync(Name), EncryptionKey = key, CompressionThreshold = threshold };

    public async Task<PostgresStore> OpenAsync(byte[]? key = null, int threshold = 1024) =>
        await PostgresStore.OpenAsync(await OptionsAsync(key, threshold));

    public async ValueTask DisposeAsync() => await TestPostgres.DropSchemaAsync(Name);
}
