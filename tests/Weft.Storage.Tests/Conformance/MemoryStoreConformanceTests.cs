namespace Weft.Storage.Tests.Conformance;

public sealed class MemoryStoreConformanceTests : StoreConformanceTests
{
    protected override Task<IWeftStore> CreateStoreAsync() => Task.FromResult<IWeftStore>(new MemoryStore());
}
