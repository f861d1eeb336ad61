using Weft.Sqlite;

namespace Weft.Storage.Tests.Conformance;

/// <summary>The conformance suite on a SQLite file of its own, deleted after the test.</summary>
public sealed class SqliteStoreConformanceTests : DurableStoreConformanceTests
{
    private readonly TempDatabase _database = new();

    protected override async Task<IWeftStore> CreateStoreAsync() => await SqliteStore.OpenAsync(_database.Options());

    protected override async Task<IWeftStore> ReopenAsync() => await SqliteStore.OpenAsync(_database.Options());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _database.Dispose();
    }
}
