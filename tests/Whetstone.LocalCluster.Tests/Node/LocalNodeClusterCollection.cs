namespace Whetstone.LocalCluster.Tests.Node;

/// <summary>Node integration tests share one API server and node, and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class LocalNodeClusterCollection : ICollectionFixture<LocalNodeClusterFixture>
{
    public const string Name = "local node cluster";
}
