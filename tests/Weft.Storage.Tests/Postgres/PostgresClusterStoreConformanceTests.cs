using Weft.Cluster;
using Weft.Postgres;
using Weft.Storage.Tests.Conformance;

namespace Weft.Storage.Tests.Postgres;

/// <summary>The cluster store contract on PostgreSQL: each test on a schema of its own; a peer is a
/// second store instance (its own pool, its own LISTEN connection), as another process would open.</summary>
public sealed class PostgresClusterStoreConformanceTests : ClusterStoreConformanceTests
{
    private readonly PostgresSchema _schema = new();

    protected override async Task<IClusterStore> CreateStoreAsync() => await _schema.OpenAsync();

    protected override async Task<IClusterStore> CreatePeerAsync(IClusterStore store) => await _schema.OpenAsync();

    protected override bool DeliversSignalsSynchronously => false;

    // LISTEN starts on its own connection; signals raised before it is in effect are not seen (as in
    // PostgreSQL itself), so the tests wait for it before raising any.
    protected override async Task ListenAsync(IClusterStore store)
    {
        await ((PostgresStore)store).WhenListeningAsync();
        await base.ListenAsync(store);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _schema.DisposeAsync();
    }
}
