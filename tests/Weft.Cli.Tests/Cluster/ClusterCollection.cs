namespace Weft.Tests.Cluster;

/// <summary>The cluster tests each start several weft processes; run one at a time so that on a small
/// machine they do not starve each other's heartbeats and leases (which would be a different test).</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection
{
    public const string Name = "Cluster processes";
}
