using Weft.Cluster;

namespace Weft.Storage.Tests.Conformance;

public sealed class MemoryClusterStoreConformanceTests : ClusterStoreConformanceTests
{
    protected override Task<IClusterStore> CreateStoreAsync() => Task.FromResult<IClusterStore>(new MemoryClusterStore());

    protected override Task<IClusterStore> CreatePeerAsync(IClusterStore store) =>
        Task.FromResult<IClusterStore>(((MemoryClusterStore)store).OpenPeer());
}

/// <summary>The cluster store is also a run store: the plain store contract holds for it too.</summary>
public sealed class MemoryClusterStoreAsRunStoreTests : StoreConformanceTests
{
    protected override Task<IWeftStore> CreateStoreAsync() => Task.FromResult<IWeftStore>(new MemoryClusterStore());
}
