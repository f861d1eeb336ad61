using Weft.Cluster;

namespace Weft.Tests.ClusterScheduling;

/// <summary>The cluster's scheduling engine over a test's cluster store (its own slots run nothing), no
/// retention; <c>configure</c> adds a test's clock or limits.</summary>
internal static class ClusterSchedulers
{
    public static WeftEngine Create(IClusterStore store, Action<WeftOptions>? configure = null) => WeftEngine.Create(o =>
    {
        o.Store = store;
        o.Cluster.Schedule = true;
        o.Retention = null;
        configure?.Invoke(o);
    });
}
