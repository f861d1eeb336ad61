using Weft.Storage.Tests.Conformance;

namespace Weft.Storage.Tests.Postgres;

/// <summary>The conformance suite on a PostgreSQL schema of its own, dropped after the test.</summary>
public sealed class PostgresStoreConformanceTests : DurableStoreConformanceTests
{
    private readonly PostgresSchema _schema = new();

    protected override async Task<IWeftStore> CreateStoreAsync() => await _schema.OpenAsync();

    protected override async Task<IWeftStore> ReopenAsync() => await _schema.OpenAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _schema.DisposeAsync();
    }
}
